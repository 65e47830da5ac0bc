// Scale-out queue: PostgreSQL + pg-boss, worked by any number of `npm run worker` processes.
// A job's lease is pg-boss's expiry: a job still active after expireInSeconds (its worker died) is
// failed by pg-boss's supervisor and retried by another worker, up to retryLimit.
import { PgBoss } from "pg-boss";
import { log } from "../log.ts";
import {
  GRADING_QUEUE,
  type GradingJobPayload,
  type JobHandler,
  type JobQueue,
  type QueueDepth,
  type RunningWorker,
  type WorkerOptions,
} from "./types.ts";

export interface PgBossQueueOptions {
  connectionString: string;
  /** How often pg-boss looks for expired jobs; small in tests, 10 s in production. */
  superviseIntervalSeconds?: number;
  /** A job active longer than this is considered lost (its worker died). */
  expireInSeconds?: number;
}

export class PgBossJobQueue implements JobQueue {
  readonly kind = "pg-boss" as const;

  private constructor(private readonly boss: PgBoss) {}

  static async connect(options: PgBossQueueOptions): Promise<PgBossJobQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
      monitorIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    });
    boss.on("error", (error: unknown) => log.error({ err: error }, "pg-boss error"));
    await boss.start();
    await boss.createQueue(GRADING_QUEUE, {
      retryLimit: 2,
      retryDelay: 1,
      expireInSeconds: options.expireInSeconds ?? 120,
    });
    return new PgBossJobQueue(boss);
  }

  async enqueue(payload: GradingJobPayload): Promise<string> {
    const id = await this.boss.send(GRADING_QUEUE, { ...payload });
    if (!id) throw new Error("pg-boss did not accept the job");
    return id;
  }

  async depth(): Promise<QueueDepth> {
    const queue = await this.boss.getQueue(GRADING_QUEUE);
    return { queued: queue?.queuedCount ?? 0, running: queue?.activeCount ?? 0 };
  }

  async startWorker(handler: JobHandler, options: WorkerOptions): Promise<RunningWorker> {
    const workId = await this.boss.work<GradingJobPayload>(
      GRADING_QUEUE,
      {
        batchSize: 1,
        localConcurrency: options.concurrency,
        pollingIntervalSeconds: Math.max(0.5, options.pollMs / 1000),
        includeMetadata: true,
      },
      async ([job]) => {
        await handler(job.data, { jobId: job.id, attempt: job.retryCount + 1, workerId: options.workerId });
      },
    );
    return { stop: () => this.boss.offWork(GRADING_QUEUE, { id: workId, wait: true }) };
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true });
  }
}

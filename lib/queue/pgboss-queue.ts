// Scale-out queue: PostgreSQL + pg-boss, worked by any number of `npm run worker` processes.
//
// The lease is pg-boss's heartbeat, not a fixed expiry: a worker refreshes the job's heartbeat every
// third of the lease while it grades, and pg-boss's monitor fails a job whose heartbeat is older than
// the lease (its worker died: kill -9, a lost machine), which is then retried by another worker, up
// to retryLimit. A fixed expiry cannot do both jobs: it would have to outlast the longest grading (a
// test-suite lab runs its suite a dozen times, the capstone allows 90 s of wall time) and so would
// leave a killed worker's job waiting just as long; any shorter, and a live grading is delivered
// twice. expireInSeconds stays as a backstop for a delivery that is alive but stuck.
import { PgBoss } from "pg-boss";
import { log } from "../log.ts";
import {
  DEFAULT_WORKER_OPTIONS,
  GRADING_QUEUE,
  type GradingJobPayload,
  type JobHandler,
  type JobQueue,
  type QueueDepth,
  type RunningWorker,
  type WorkerOptions,
} from "./types.ts";

/** The lease, as in the embedded queue: a job whose worker sent no heartbeat for this long is lost. */
export const PGBOSS_LEASE_SECONDS = DEFAULT_WORKER_OPTIONS.leaseMs / 1000;

/**
 * The backstop: a delivery still active after this long is failed and retried even though its worker
 * sends heartbeats (a handler stuck in an await). 15 minutes: the age at which the sweeper ends a
 * submission anyway (STALE_AFTER_MS in lib/submissions/store.ts), well above the longest grading of any
 * lab (tests/lib/queue/lease.test.ts derives that from the labs' limits).
 */
export const PGBOSS_CEILING_SECONDS = 15 * 60;

/** A failed delivery waits this long before it is offered again. */
export const PGBOSS_RETRY_DELAY_SECONDS = 1;

export interface PgBossQueueOptions {
  connectionString: string;
  /** How often pg-boss looks for lost jobs (monitor and supervisor); small in tests, 10 s in production. */
  superviseIntervalSeconds?: number;
  /** The lease (pg-boss heartbeatSeconds, at least 10); default PGBOSS_LEASE_SECONDS. */
  leaseSeconds?: number;
  /** The backstop; default PGBOSS_CEILING_SECONDS. */
  expireInSeconds?: number;
}

export class PgBossJobQueue implements JobQueue {
  readonly kind = "pg-boss" as const;

  private constructor(
    private readonly boss: PgBoss,
    private readonly leaseSeconds: number,
  ) {}

  static async connect(options: PgBossQueueOptions): Promise<PgBossJobQueue> {
    const interval = options.superviseIntervalSeconds ?? 10;
    const boss = new PgBoss({
      connectionString: options.connectionString,
      superviseIntervalSeconds: interval,
      monitorIntervalSeconds: interval,
    });
    boss.on("error", (error: unknown) => log.error({ err: error }, "pg-boss error"));
    await boss.start();
    const leaseSeconds = options.leaseSeconds ?? PGBOSS_LEASE_SECONDS;
    const settings = {
      retryLimit: 2,
      retryDelay: PGBOSS_RETRY_DELAY_SECONDS,
      heartbeatSeconds: leaseSeconds,
      expireInSeconds: options.expireInSeconds ?? PGBOSS_CEILING_SECONDS,
    };
    await boss.createQueue(GRADING_QUEUE, settings);
    // A queue created by an older version keeps its settings otherwise (createQueue leaves it be).
    await boss.updateQueue(GRADING_QUEUE, settings);
    return new PgBossJobQueue(boss, leaseSeconds);
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

  /** options.leaseMs is the embedded queue's; here the lease is the queue's heartbeat (connect()). */
  async startWorker(handler: JobHandler, options: WorkerOptions): Promise<RunningWorker> {
    const workId = await this.boss.work<GradingJobPayload>(
      GRADING_QUEUE,
      {
        batchSize: 1,
        localConcurrency: options.concurrency,
        pollingIntervalSeconds: Math.max(0.5, options.pollMs / 1000),
        includeMetadata: true,
        // Three heartbeats per lease: one late refresh does not lose the job.
        heartbeatRefreshSeconds: this.leaseSeconds / 3,
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

// The embedded queue: rows in the Job table of the app's database (SQLite by default, PostgreSQL works
// too). A worker claims a job with a compare-and-set update (status + lease as they were read), so two
// workers never hold one job; it renews the lease while working, and a job whose lease ran out (its
// worker died) is claimed again by whoever looks next, until maxAttempts.
import type { Db } from "../db/client.ts";
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

const MAX_ATTEMPTS = 3;

export class DbJobQueue implements JobQueue {
  readonly kind = "embedded" as const;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly db: Db) {}

  async enqueue(payload: GradingJobPayload): Promise<string> {
    const job = await this.db.job.create({
      data: { queue: GRADING_QUEUE, payload: JSON.stringify(payload), maxAttempts: MAX_ATTEMPTS },
    });
    for (const wake of this.wakers) wake();
    return job.id;
  }

  async depth(): Promise<QueueDepth> {
    const [queued, running] = await Promise.all([
      this.db.job.count({ where: { queue: GRADING_QUEUE, status: "queued" } }),
      this.db.job.count({ where: { queue: GRADING_QUEUE, status: "running" } }),
    ]);
    return { queued, running };
  }

  /** Claims the oldest runnable job for `workerId`, or returns null. */
  async claim(workerId: string, leaseMs: number, now = new Date()) {
    for (let tries = 0; tries < 5; tries++) {
      const candidate = await this.db.job.findFirst({
        where: {
          queue: GRADING_QUEUE,
          OR: [
            { status: "queued", runAfter: { lte: now } },
            { status: "running", leaseUntil: { lt: now } },
          ],
        },
        orderBy: { createdAt: "asc" },
      });
      if (!candidate) return null;
      if (candidate.attempts >= candidate.maxAttempts) {
        await this.db.job.updateMany({
          where: { id: candidate.id, status: candidate.status, leaseUntil: candidate.leaseUntil },
          data: { status: "failed", lastError: candidate.lastError ?? "worker lost the job too many times" },
        });
        continue;
      }
      const claimed = await this.db.job.updateMany({
        where: {
          id: candidate.id,
          status: candidate.status,
          leaseUntil: candidate.leaseUntil,
          attempts: candidate.attempts,
        },
        data: {
          status: "running",
          workerId,
          attempts: { increment: 1 },
          leaseUntil: new Date(now.getTime() + leaseMs),
        },
      });
      if (claimed.count === 1) return { ...candidate, attempts: candidate.attempts + 1 };
    }
    return null;
  }

  async startWorker(handler: JobHandler, options: WorkerOptions): Promise<RunningWorker> {
    let stopping = false;
    // Idle loops sleep until the poll interval passes or enqueue() in this process wakes them.
    const sleepers = new Set<() => void>();
    const wakeAll = () => {
      for (const wake of sleepers) wake();
    };
    this.wakers.add(wakeAll);
    const idle = () =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, options.pollMs);
        sleepers.add(done);
      });

    const runOne = async (): Promise<boolean> => {
      const job = await this.claim(options.workerId, options.leaseMs);
      if (!job) return false;
      const renew = setInterval(
        () => {
          void this.db.job
            .updateMany({
              where: { id: job.id, workerId: options.workerId, status: "running" },
              data: { leaseUntil: new Date(Date.now() + options.leaseMs) },
            })
            .catch((error: unknown) =>
              log.warn({ err: error, jobId: job.id }, "queue: lease renewal failed"),
            );
        },
        Math.max(50, Math.floor(options.leaseMs / 3)),
      );
      try {
        await handler(JSON.parse(job.payload) as GradingJobPayload, {
          jobId: job.id,
          attempt: job.attempts,
          workerId: options.workerId,
        });
        await this.db.job.updateMany({
          where: { id: job.id, workerId: options.workerId },
          data: { status: "done", leaseUntil: null },
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error({ err: error, jobId: job.id, attempt: job.attempts }, "queue: job failed");
        const again = job.attempts < job.maxAttempts;
        await this.db.job.updateMany({
          where: { id: job.id, workerId: options.workerId },
          data: again
            ? {
                status: "queued",
                leaseUntil: null,
                lastError: message,
                runAfter: new Date(Date.now() + 1000 * job.attempts),
              }
            : { status: "failed", leaseUntil: null, lastError: message },
        });
      } finally {
        clearInterval(renew);
      }
      return true;
    };

    const loop = async () => {
      while (!stopping) {
        const worked = await runOne().catch((error: unknown) => {
          log.error({ err: error }, "queue: worker loop error");
          return false;
        });
        if (!worked && !stopping) await idle();
      }
    };
    const loops = Array.from({ length: options.concurrency }, loop);
    return {
      stop: async () => {
        stopping = true;
        this.wakers.delete(wakeAll);
        wakeAll();
        await Promise.all(loops);
      },
    };
  }

  async close(): Promise<void> {}
}

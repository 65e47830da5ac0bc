// The grading queue. Two implementations behind one interface: the embedded default (a job table in
// the app's own database, worked by the app process) and scale-out (PostgreSQL + pg-boss, worked by
// any number of `npm run worker` processes). Delivery is at-least-once: a job whose worker dies is
// handed to another after its lease runs out, so handlers must be idempotent (lib/submissions writes a
// result only once).

export const GRADING_QUEUE = "grading";

export interface GradingJobPayload {
  submissionId: string;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first delivery, 2 after a retry, ... */
  attempt: number;
  workerId: string;
}

export type JobHandler = (payload: GradingJobPayload, context: JobContext) => Promise<void>;

export interface WorkerOptions {
  workerId: string;
  /** Jobs worked at once by this worker. */
  concurrency: number;
  /**
   * Embedded queue: a running job whose worker has not renewed it for this long is given to another
   * worker. pg-boss has one lease per queue, set when it is opened (PgBossQueueOptions.leaseSeconds).
   */
  leaseMs: number;
  /** How long an idle worker waits before looking for work again. */
  pollMs: number;
}

export interface RunningWorker {
  /** Stops taking jobs and waits for the jobs in hand to finish. */
  stop(): Promise<void>;
}

export interface QueueDepth {
  queued: number;
  running: number;
}

export interface JobQueue {
  readonly kind: "embedded" | "pg-boss";
  enqueue(payload: GradingJobPayload): Promise<string>;
  startWorker(handler: JobHandler, options: WorkerOptions): Promise<RunningWorker>;
  depth(): Promise<QueueDepth>;
  close(): Promise<void>;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, "workerId"> = {
  concurrency: 1,
  leaseMs: 60_000,
  pollMs: 500,
};

// A grading worker: the job handler on a queue, plus the sweeper that ends submissions no worker
// will finish. Used in-process by the app (embedded.ts) and by `npm run worker` (scripts/worker.ts).
import type { Db } from "../db/client.ts";
import { log } from "../log.ts";
import { DEFAULT_WORKER_OPTIONS, type JobQueue } from "../queue/types.ts";
import { failStale } from "../submissions/store.ts";
import { createGradingHandler, type Grader, newWorkerId } from "./grade-job.ts";

export interface GradingWorker {
  workerId: string;
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  db: Db;
  queue: JobQueue;
  grade: Grader;
  concurrency?: number;
  /** Prefix of the worker id in logs: "embedded" or "worker". */
  name?: string;
  leaseMs?: number;
  pollMs?: number;
  /** How often to look for lost submissions; 0 disables the sweeper. */
  sweepEveryMs?: number;
}

export async function startGradingWorker(options: StartWorkerOptions): Promise<GradingWorker> {
  const workerId = newWorkerId(options.name ?? "worker");
  const handler = createGradingHandler({
    db: options.db,
    grade: options.grade,
    depth: () => options.queue.depth(),
  });
  const running = await options.queue.startWorker(handler, {
    ...DEFAULT_WORKER_OPTIONS,
    workerId,
    concurrency: options.concurrency ?? DEFAULT_WORKER_OPTIONS.concurrency,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  const sweepEvery = options.sweepEveryMs ?? 60_000;
  const sweep = async () => {
    try {
      const ended = await failStale(options.db);
      if (ended > 0) log.warn({ ended, workerId }, "worker: ended lost submissions as infra-error");
    } catch (error) {
      log.warn({ err: error, workerId }, "worker: sweeping lost submissions failed");
    }
  };
  const sweeper = sweepEvery > 0 ? setInterval(sweep, sweepEvery) : undefined;
  sweeper?.unref();
  log.info(
    { workerId, queue: options.queue.kind, concurrency: options.concurrency ?? 1 },
    "grading worker started",
  );
  return {
    workerId,
    stop: async () => {
      clearInterval(sweeper);
      await running.stop();
      log.info({ workerId }, "grading worker stopped");
    },
  };
}

/** GRADING_CONCURRENCY: jobs one worker process grades at once (default 1; each run wants ~1 core). */
export function concurrencyFromEnv(env: Record<string, string | undefined> = process.env): number {
  const n = Number.parseInt(env.GRADING_CONCURRENCY ?? "", 10);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 1;
}

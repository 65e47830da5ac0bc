// The embedded worker: grading inside the app process (WORKER_MODE=embedded, the default), started
// once by instrumentation.ts and stopped when the process is asked to end.
import { db } from "../db/client.ts";
import { log } from "../log.ts";
import { gradeWithEngine } from "./engine.ts";
import { gradingQueue } from "./queue.ts";
import { concurrencyFromEnv, type GradingWorker, startGradingWorker } from "./run-worker.ts";

const holder = globalThis as unknown as { mcpLabEmbeddedWorker?: Promise<GradingWorker> };

export function startEmbeddedWorker(): Promise<GradingWorker> {
  holder.mcpLabEmbeddedWorker ??= (async () => {
    const worker = await startGradingWorker({
      db: db(),
      queue: await gradingQueue(),
      grade: gradeWithEngine,
      concurrency: concurrencyFromEnv(),
      name: "embedded",
    });
    for (const signal of ["SIGTERM", "SIGINT"] as const)
      process.once(signal, () => {
        void worker.stop().finally(() => process.exit(0));
      });
    return worker;
  })();
  holder.mcpLabEmbeddedWorker.catch((error: unknown) => {
    log.error({ err: error }, "embedded worker failed to start");
    holder.mcpLabEmbeddedWorker = undefined;
  });
  return holder.mcpLabEmbeddedWorker;
}

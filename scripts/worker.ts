// npm run worker: a grading worker process, for scale-out. Start any number of them:
//   QUEUE=pg-boss DATABASE_URL=postgres://... npm run worker [-- --concurrency 2]
// (QUEUE=embedded works too: the Job table of DATABASE_URL, shared with the app.) The app then runs
// with WORKER_MODE=external so it only enqueues. SIGTERM/SIGINT: finish the jobs in hand, then exit.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { db } from "../lib/db/client.ts";
import { databaseUrl } from "../lib/db/url.ts";
import { log } from "../lib/log.ts";
import { projectPath } from "../lib/paths.ts";
import { openQueue } from "../lib/queue/index.ts";
import { gradeWithEngine } from "../lib/worker/engine.ts";
import { queueBackend } from "../lib/worker/queue.ts";
import { concurrencyFromEnv, startGradingWorker } from "../lib/worker/run-worker.ts";

if (!process.env.MCP_LAB_SKIP_DOTENV && existsSync(projectPath(".env")))
  process.loadEnvFile(projectPath(".env"));

const { values } = parseArgs({
  options: { concurrency: { type: "string" }, "depth-every": { type: "string", default: "30" } },
});
const concurrency = values.concurrency ? Number.parseInt(values.concurrency, 10) : concurrencyFromEnv();
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  console.error("worker: --concurrency must be an integer from 1 to 64");
  process.exit(2);
}

const queue = await openQueue(queueBackend(), databaseUrl(), db());
const worker = await startGradingWorker({
  db: db(),
  queue,
  grade: gradeWithEngine,
  concurrency,
  name: "worker",
});

// Queue depth as a metric line, for dashboards and alerts.
const depthEveryMs = Math.max(1, Number(values["depth-every"])) * 1000;
const depthTimer = setInterval(() => {
  void queue
    .depth()
    .then((depth) => log.info({ workerId: worker.workerId, queue: queue.kind, ...depth }, "queue depth"))
    .catch(() => undefined);
}, depthEveryMs);
depthTimer.unref();

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ workerId: worker.workerId, signal }, "worker: stopping after the jobs in hand");
    void (async () => {
      await worker.stop();
      await queue.close();
      await db().$disconnect();
      process.exit(0);
    })();
  });

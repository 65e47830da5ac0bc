// A grading worker process for the kill -9 test: grades with the real engine and, once the first check
// has finished, says so on stdout and stops making progress until it is killed.
// argv: <embedded|pg-boss> <databaseUrl>
import { connectDb } from "../../../lib/db/client.ts";
import { DbJobQueue } from "../../../lib/queue/db-queue.ts";
import { PgBossJobQueue } from "../../../lib/queue/pgboss-queue.ts";
import { gradeWithEngine } from "../../../lib/worker/engine.ts";
import { startGradingWorker } from "../../../lib/worker/run-worker.ts";

const [backend, url] = process.argv.slice(2);
const db = connectDb(url);
const queue =
  backend === "embedded"
    ? new DbJobQueue(db)
    : await PgBossJobQueue.connect({
        connectionString: url,
        superviseIntervalSeconds: 1,
        leaseSeconds: 10,
      });
await startGradingWorker({
  db,
  queue,
  name: "doomed",
  leaseMs: 1500,
  pollMs: 100,
  sweepEveryMs: 0,
  grade: (request) =>
    gradeWithEngine({
      ...request,
      onEvent: (event) => {
        request.onEvent(event);
        if (event.type === "check-finished" && event.index === 0) {
          process.stdout.write("first check finished\n");
          // Hang here, mid-job, holding the submission, until the test kills this process (the event
          // loop is blocked too: no lease renewal, no heartbeat, as in a frozen process).
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        }
      },
    }),
});

// A worker process for the kill -9 test: claims one job, says so on stdout, then hangs until killed.
// argv: <backend> <databaseUrl>

import { connectDb } from "../../../lib/db/client.ts";
import { DbJobQueue } from "../../../lib/queue/db-queue.ts";
import { PgBossJobQueue } from "../../../lib/queue/pgboss-queue.ts";

const [backend, url] = process.argv.slice(2);
const queue =
  backend === "embedded"
    ? new DbJobQueue(connectDb(url))
    : await PgBossJobQueue.connect({
        connectionString: url,
        superviseIntervalSeconds: 1,
        expireInSeconds: 2,
      });
await queue.startWorker(
  async (payload, context) => {
    process.stdout.write(`claimed ${payload.submissionId} attempt ${context.attempt}\n`);
    await new Promise(() => undefined);
  },
  { workerId: `doomed-${process.pid}`, concurrency: 1, leaseMs: 1500, pollMs: 100 },
);

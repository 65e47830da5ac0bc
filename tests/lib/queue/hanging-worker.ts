// A worker process for the kill -9 test: claims one job, says so on stdout, then hangs until killed
// (its event loop stays free, so it keeps renewing its lease: alive, it keeps the job).
// argv: <backend> <databaseUrl>

import { connectDb } from "../../../lib/db/client.ts";
import { DbJobQueue } from "../../../lib/queue/db-queue.ts";
import { PgBossJobQueue } from "../../../lib/queue/pgboss-queue.ts";
import { HANGING_LEASE_MS, HANGING_LEASE_SECONDS } from "./hanging-lease.ts";

const [backend, url] = process.argv.slice(2);
const queue =
  backend === "embedded"
    ? new DbJobQueue(connectDb(url))
    : await PgBossJobQueue.connect({
        connectionString: url,
        superviseIntervalSeconds: 1,
        leaseSeconds: HANGING_LEASE_SECONDS,
      });
await queue.startWorker(
  async (payload, context) => {
    process.stdout.write(`claimed ${payload.submissionId} attempt ${context.attempt}\n`);
    await new Promise(() => undefined);
  },
  { workerId: `doomed-${process.pid}`, concurrency: 1, leaseMs: HANGING_LEASE_MS, pollMs: 100 },
);

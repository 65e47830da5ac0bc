// Picks the queue implementation: the embedded job table by default, pg-boss when QUEUE=pg-boss
// (which needs DATABASE_URL to be PostgreSQL).
import { connectDb, type Db } from "../db/client.ts";
import { providerForUrl } from "../db/schema-variants.ts";
import { DbJobQueue } from "./db-queue.ts";
import { PgBossJobQueue } from "./pgboss-queue.ts";
import type { JobQueue } from "./types.ts";

export type QueueBackend = "embedded" | "pg-boss";

export async function openQueue(backend: QueueBackend, databaseUrl: string, db?: Db): Promise<JobQueue> {
  if (backend === "embedded") return new DbJobQueue(db ?? connectDb(databaseUrl));
  if (providerForUrl(databaseUrl) !== "postgresql")
    throw new Error("QUEUE=pg-boss needs DATABASE_URL to be a postgres:// URL");
  return PgBossJobQueue.connect({ connectionString: databaseUrl });
}

// The one Prisma client of the process. DATABASE_URL picks the database: a `file:` URL is the
// embedded SQLite default (libsql adapter, N-API prebuilt, no compile), a postgres:// URL is scale-out
// (pg adapter). Both clients are generated from the same schema (npm run db:generate).
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { PrismaClient } from "./generated/sqlite/client.ts";
import { providerForUrl } from "./schema-variants.ts";
import { databaseUrl } from "./url.ts";

export type Db = PrismaClient;

function createClient(url: string): Db {
  if (providerForUrl(url) === "postgresql") {
    // Same models, other dialect: the two generated clients are structurally identical.
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  return new PrismaClient({ adapter: new PrismaLibSql({ url, timeout: 5000 }) });
}

const globalForDb = globalThis as unknown as { mcpLabDb?: { url: string; client: Db } };

/** The shared client for DATABASE_URL (kept on globalThis so Next's dev reloads don't leak pools). */
export function db(): Db {
  const url = databaseUrl();
  if (globalForDb.mcpLabDb?.url !== url) globalForDb.mcpLabDb = { url, client: createClient(url) };
  return globalForDb.mcpLabDb.client;
}

/** A separate client for tests and tools that work on another database than the app's. */
export function connectDb(url: string): Db {
  return createClient(url);
}

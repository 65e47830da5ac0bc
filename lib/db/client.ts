// The one Prisma client of the process. DATABASE_URL picks the database: a `file:` URL is the
// embedded SQLite default (libsql adapter, N-API prebuilt, no compile), a postgres:// URL is scale-out
// (pg adapter). Both clients are generated from the same schema (npm run db:generate).
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { PrismaClient } from "./generated/sqlite/client.ts";
import { type DbProvider, providerForUrl } from "./schema-variants.ts";
import { databaseUrl } from "./url.ts";

export type Db = PrismaClient;

// Which database each client speaks, for the few places that differ (lib/db/transaction-lock.ts).
const providers = new WeakMap<Db, DbProvider>();

function createClient(url: string): Db {
  const provider = providerForUrl(url);
  const client =
    provider === "postgresql"
      ? // Same models, other dialect: the two generated clients are structurally identical.
        (new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db)
      : new PrismaClient({ adapter: new PrismaLibSql({ url, timeout: 5000 }) });
  providers.set(client, provider);
  return client;
}

/** The database a client from db()/connectDb() talks to. */
export function providerOf(db: Db): DbProvider {
  return providers.get(db) ?? "sqlite";
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

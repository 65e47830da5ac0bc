// Fresh, migrated databases for tests: a SQLite file in a temp dir, and (when TEST_POSTGRES_URL names
// a server we may create databases on, as .ci/run sets up) a new PostgreSQL database per call.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { connectDb, type Db } from "../../lib/db/client.ts";
import { applyMigrations } from "../../lib/db/migrator.ts";

export interface TestDb {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export async function freshSqlite(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-lab-db-"));
  const url = `file:${join(dir, "test.db")}`;
  await applyMigrations(url);
  const db = connectDb(url);
  return {
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const postgresAvailable = Boolean(process.env.TEST_POSTGRES_URL);

export async function freshPostgres(): Promise<TestDb> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) throw new Error("TEST_POSTGRES_URL is not set");
  const name = `mcplab_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const db = connectDb(url.toString());
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.$disconnect();
      const cleanup = new pg.Client({ connectionString: admin });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** The databases a storage test runs against: SQLite always, PostgreSQL when configured. */
export const databaseKinds: Array<{ kind: string; create: () => Promise<TestDb> }> = [
  { kind: "sqlite", create: freshSqlite },
  ...(postgresAvailable ? [{ kind: "postgresql", create: freshPostgres }] : []),
];

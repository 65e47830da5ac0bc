// Offline migrations. Prisma 7's CLI downloads a native schema engine for `migrate`, which fails on
// machines without internet. The same engine ships as WebAssembly (@prisma/schema-engine-wasm, pinned
// to the build matching prisma 7.10.0's engines hash 0edf323e...) and runs through a driver adapter:
// libsql for SQLite, pg for PostgreSQL. This module is the only place that talks to it.
//
//   new migration: diff(last migrated schema -> prisma/schema.prisma) per provider, written as
//                  prisma/migrations/<provider>/<timestamp>_<name>/migration.sql
//   apply:         applyMigrations() records them in _prisma_migrations (idempotent, like `migrate deploy`)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DiffTarget, MigrationList } from "@prisma/schema-engine-wasm";
import { SchemaEngine } from "@prisma/schema-engine-wasm";
import { type DbProvider, PRISMA_DIR, providerForUrl, SCHEMA_PATH, schemaFor } from "./schema-variants.ts";

const NO_FILTERS = { externalTables: [], externalEnums: [] };
/** The schema as of the newest migration; `new` diffs from it. */
const SNAPSHOT_PATH = join(PRISMA_DIR, "migrations", "schema.snapshot.prisma");

export function migrationsDir(provider: DbProvider): string {
  return join(PRISMA_DIR, "migrations", provider);
}

/**
 * The adapter factory the engine connects through, plus a way to close every connection it opened.
 * `engine.free()` releases the WASM side only: the pg pool would stay open, and with it the session
 * that holds Prisma's migration advisory lock, so the next engine on the same database would wait.
 */
function adapterFactoryFor(url: string) {
  const provider = providerForUrl(url);
  const bound = bindMigrationAwareSqlAdapterFactory(
    provider === "sqlite" ? new PrismaLibSql({ url }) : new PrismaPg({ connectionString: url }),
  );
  // The bound factory answers with Results ({ ok, value }), the shape the engine expects back.
  type Connected = Awaited<ReturnType<typeof bound.connect>>;
  const opened: Array<{ dispose(): Promise<unknown> }> = [];
  const track = async (connection: Promise<Connected>) => {
    const result = await connection;
    if (result.ok) opened.push(result.value);
    return result;
  };
  const factory = {
    ...bound,
    connect: () => track(bound.connect()),
    connectToShadowDb: () => track(bound.connectToShadowDb()),
  };
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((adapter) => adapter.dispose()));
  };
  return { factory, disposeAll };
}

async function withEngine<T>(
  url: string,
  schema: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const engineLog = (line: string) => {
    if (process.env.PRISMA_ENGINE_DEBUG) console.error(line);
  };
  const { factory, disposeAll } = adapterFactoryFor(url);
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, engineLog, factory);
  try {
    return await work(engine);
  } finally {
    engine.free();
    await disposeAll();
  }
}

function migrationList(provider: DbProvider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, "migration_lock.toml");
  const directories = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

/** Applies every pending migration to the database at `url`; returns the names applied now. */
export async function applyMigrations(url: string): Promise<string[]> {
  const provider = providerForUrl(url);
  if (provider === "sqlite") ensureSqliteDir(url);
  return withEngine(url, schemaFor(provider), async (engine) => {
    const output = await engine.applyMigrations({
      migrationsList: migrationList(provider),
      filters: NO_FILTERS,
    });
    return output.appliedMigrationNames;
  });
}

function ensureSqliteDir(url: string): void {
  const path = url.replace(/^file:/, "").split("?")[0];
  const dir = path.slice(0, Math.max(0, path.lastIndexOf("/")));
  if (dir) mkdirSync(dir, { recursive: true });
}

/** SQL that turns the schema `from` into the current schema, for one provider (empty string: no change). */
async function diffSql(provider: DbProvider, from: string | null): Promise<string> {
  // A diff between two datamodels touches no database; the engine still wants an adapter, so an
  // in-memory SQLite one serves both providers (the SQL dialect follows the datamodel's provider).
  const fromTarget: DiffTarget =
    from === null
      ? { tag: "empty" }
      : { tag: "schemaDatamodel", files: [{ path: "from.prisma", content: schemaFor(provider, from) }] };
  const toTarget: DiffTarget = {
    tag: "schemaDatamodel",
    files: [{ path: "schema.prisma", content: schemaFor(provider) }],
  };
  return withEngine("file::memory:", schemaFor("sqlite"), async (engine) => {
    const result = await engine.diff({
      from: fromTarget,
      to: toTarget,
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = (result.stdout ?? "").trim();
    return sql.startsWith("-- This is an empty migration") ? "" : sql;
  });
}

/** Has prisma/schema.prisma changed since the newest migration? */
export async function pendingSchemaChange(): Promise<string> {
  const previous = existsSync(SNAPSHOT_PATH) ? readFileSync(SNAPSHOT_PATH, "utf8") : null;
  return diffSql("sqlite", previous);
}

/** Writes a new migration for both providers from the schema change since the last one. */
export async function createMigration(name: string, now = new Date()): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: lowercase letters, digits and _ only");
  const previous = existsSync(SNAPSHOT_PATH) ? readFileSync(SNAPSHOT_PATH, "utf8") : null;
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const folder = `${stamp}_${name}`;
  let wrote = false;
  for (const provider of ["sqlite", "postgresql"] as const) {
    const sql = await diffSql(provider, previous);
    if (!sql) continue;
    const dir = join(migrationsDir(provider), folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), `${sql}\n`);
    writeFileSync(
      join(migrationsDir(provider), "migration_lock.toml"),
      `# Written by lib/db/migrator.ts; do not edit.\nprovider = "${provider}"\n`,
    );
    wrote = true;
  }
  if (!wrote) return null;
  writeFileSync(SNAPSHOT_PATH, readFileSync(SCHEMA_PATH, "utf8"));
  return folder;
}

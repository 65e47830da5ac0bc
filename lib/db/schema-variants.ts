// One Prisma schema (prisma/schema.prisma, SQLite) is the source for both databases. The PostgreSQL

// variant differs only in its datasource provider and the generated client's folder.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { projectPath } from "../paths.ts";

export type DbProvider = "sqlite" | "postgresql";

export const PRISMA_DIR = projectPath("prisma");
export const SCHEMA_PATH = resolve(PRISMA_DIR, "schema.prisma");

export function schemaFor(provider: DbProvider, source = readFileSync(SCHEMA_PATH, "utf8")): string {
  if (provider === "sqlite") return source;
  return source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace('output   = "../lib/db/generated/sqlite"', 'output   = "../lib/db/generated/postgresql"');
}

/** sqlite for `file:` URLs (the embedded default), postgresql for postgres:// URLs. */
export function providerForUrl(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), got "${url.split(":")[0]}:..."`,
  );
}

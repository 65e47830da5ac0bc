// npm run db:generate: generates the Prisma clients for SQLite and PostgreSQL offline.
// `prisma generate` itself needs no schema engine, but Prisma 7's CLI tries to download one unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file, so we point it at this script (never executed).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PRISMA_DIR, SCHEMA_PATH, schemaFor } from "../lib/db/schema-variants.ts";

const postgresSchema = join(PRISMA_DIR, ".schema.postgresql.prisma");
writeFileSync(postgresSchema, schemaFor("postgresql"));
const env = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_SCHEMA_ENGINE_BINARY: import.meta.filename,
};
for (const schema of [SCHEMA_PATH, postgresSchema]) {
  execFileSync(join(PRISMA_DIR, "../node_modules/.bin/prisma"), ["generate", "--schema", schema], {
    env,
    stdio: "inherit",
  });
}

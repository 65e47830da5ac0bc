// npm run db:migrate            apply pending migrations to DATABASE_URL (default: the embedded SQLite file)
// npm run db:migration:new -- <name>   write a migration for SQLite and PostgreSQL from the schema change
import { applyMigrations, createMigration } from "../lib/db/migrator.ts";
import { databaseUrl } from "../lib/db/url.ts";

process.env.CHECKPOINT_DISABLE = "1";
const [command, name] = process.argv.slice(2);
if (command === "apply") {
  const applied = await applyMigrations(databaseUrl());
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} else if (command === "new" && name) {
  const folder = await createMigration(name);
  console.log(
    folder
      ? `wrote prisma/migrations/{sqlite,postgresql}/${folder}`
      : "no schema change since the last migration",
  );
} else {
  console.error("usage: migrate.ts apply | new <name>");
  process.exit(2);
}

import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, pendingSchemaChange } from "../../../lib/db/migrator.ts";
import { databaseKinds, type TestDb } from "../../helpers/test-db.ts";

/** Advisory locks still held on the database: a leaked engine connection keeps the migration lock. */
async function advisoryLocksHeld(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe("offline migrations (WASM schema engine)", () => {
  let current: TestDb | undefined;
  afterEach(async () => {
    await current?.drop();
    current = undefined;
  });

  it("the committed migrations match prisma/schema.prisma (run `npm run db:migration:new -- <name>` after a schema change)", async () => {
    expect(await pendingSchemaChange()).toBe("");
  });

  for (const { kind, create } of databaseKinds) {
    it(`applies every migration to a fresh ${kind} database, once`, async () => {
      current = await create();
      // create() applied them already: a second run applies nothing and the tables work.
      expect(await applyMigrations(current.url)).toEqual([]);
      if (kind === "postgresql") expect(await advisoryLocksHeld(current.url)).toBe(0);
      const user = await current.db.user.create({ data: { email: "migrated@example.com" } });
      expect(user.role).toBe("learner");
      await expect(current.db.user.create({ data: { email: "migrated@example.com" } })).rejects.toMatchObject(
        { code: "P2002" },
      );
    });
  }
});

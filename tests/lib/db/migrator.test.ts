import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, pendingSchemaChange } from "../../../lib/db/migrator.ts";
import { databaseKinds, type TestDb } from "../../helpers/test-db.ts";

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
      const user = await current.db.user.create({ data: { email: "migrated@example.com" } });
      expect(user.role).toBe("learner");
      await expect(current.db.user.create({ data: { email: "migrated@example.com" } })).rejects.toMatchObject(
        { code: "P2002" },
      );
    });
  }
});

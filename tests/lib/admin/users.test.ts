// Admin role changes: written with an audit entry (who, what, when) in the same transaction.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changeRole } from "../../../lib/admin/users.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";

describe("changeRole", () => {
  let t: TestDb;
  let admin: string;
  let learner: string;
  beforeEach(async () => {
    t = await freshSqlite();
    admin = (await t.db.user.create({ data: { email: "root@example.com", role: "admin" } })).id;
    learner = (await t.db.user.create({ data: { email: "ada@example.com", role: "learner" } })).id;
  });
  afterEach(() => t.drop());

  it("changes the role and writes user.role-changed with the admin, the user, from and to", async () => {
    await changeRole(t.db, admin, learner, "instructor");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: learner } })).role).toBe("instructor");
    const entries = await t.db.auditEvent.findMany({ where: { action: "user.role-changed" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: admin, targetType: "user", targetId: learner });
    expect(JSON.parse(entries[0].detail ?? "null")).toEqual({ from: "learner", to: "instructor" });
    expect(entries[0].createdAt).toBeInstanceOf(Date); // when
  });

  it("writes nothing when nothing changes, and refuses one's own role and unknown users", async () => {
    await changeRole(t.db, admin, learner, "learner");
    await expect(changeRole(t.db, admin, admin, "learner")).rejects.toMatchObject({
      status: 400,
      code: "OWN_ROLE",
    });
    await expect(changeRole(t.db, admin, "nobody", "admin")).rejects.toMatchObject({
      status: 404,
      code: "UNKNOWN_USER",
    });
    expect(await t.db.auditEvent.count()).toBe(0);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: admin } })).role).toBe("admin");
  });
});

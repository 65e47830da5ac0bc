import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "../../../lib/auth/password.ts";
import { signUp } from "../../../lib/auth/signup.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";

describe("sign-up", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshSqlite();
  });
  afterEach(() => t.drop());

  it("creates a learner, enrolled, with a scrypt hash that verifies", async () => {
    const result = await signUp(t.db, {
      name: "Ada",
      email: "Ada@Example.com ",
      password: "correct horse battery",
    });
    expect(result.ok).toBe(true);
    const user = await t.db.user.findUniqueOrThrow({
      where: { email: "ada@example.com" },
      include: { enrollments: true },
    });
    expect(user.role).toBe("learner");
    expect(user.enrollments).toHaveLength(1);
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("correct horse battery", user.passwordHash!)).toBe(true);
    expect(await verifyPassword("wrong horse battery", user.passwordHash!)).toBe(false);
  });

  it.each([
    [{ name: "Ada", email: "not-an-email", password: "long enough password" }, "email", /valid email/],
    [{ name: "Ada", email: "ada@example.com", password: "short" }, "password", /at least 10 characters/],
    [{ name: "", email: "ada@example.com", password: "long enough password" }, "name", /Enter your name/],
    ["not an object", "form", /JSON object/],
  ])("refuses %j with a message on %s and creates nothing", async (input, field, message) => {
    const result = await signUp(t.db, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field as "email"]).toMatch(message);
    expect(await t.db.user.count()).toBe(0);
  });

  it("refuses a duplicate account with a clear message and keeps the first", async () => {
    await signUp(t.db, { name: "Ada", email: "ada@example.com", password: "first password here" });
    const second = await signUp(t.db, {
      name: "Eve",
      email: "ADA@example.com",
      password: "second password here",
    });
    expect(second).toEqual({ ok: false, fieldErrors: { email: expect.stringMatching(/already exists/) } });
    expect(await t.db.user.count()).toBe(1);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(user.name).toBe("Ada");
  });
});

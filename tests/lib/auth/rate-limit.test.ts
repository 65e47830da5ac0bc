import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hitRateLimit } from "../../../lib/rate-limit.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";

describe("rate limits", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshSqlite();
  });
  afterEach(() => t.drop());

  it("allows `limit` hits per window, denies the next, and opens again in the next window", async () => {
    const rule = { limit: 3, windowMs: 60_000 };
    const start = new Date("2026-01-01T00:00:00Z");
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await hitRateLimit(t.db, "login:email:a", rule, start));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3].retryAfterMs).toBe(60_000);
    expect((await hitRateLimit(t.db, "login:email:b", rule, start)).allowed).toBe(true);
    expect(
      (await hitRateLimit(t.db, "login:email:a", rule, new Date(start.getTime() + 60_000))).allowed,
    ).toBe(true);
  });
});

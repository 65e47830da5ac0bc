// Playground starts are rate-limited per learner with a clear 429 (SQLite, and PostgreSQL when
// TEST_POSTGRES_URL is set): the limit-th start passes, the next is refused with the wait, another
// learner is not held up, and the next window starts afresh.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpError } from "../../../lib/http/errors.ts";
import {
  allowPlaygroundStart,
  PLAYGROUND_START_RATE_LIMIT,
} from "../../../lib/labs/playground-rate-limit.ts";
import { refusal } from "../../helpers/http-refusal.ts";
import { databaseKinds, type TestDb } from "../../helpers/test-db.ts";

for (const { kind, create } of databaseKinds) {
  describe(`playground start rate limit on ${kind}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await create();
    });
    afterAll(async () => {
      await t?.drop();
    });

    it("refuses the start past the limit with 429 and how long to wait", async () => {
      const rule = { limit: 3, windowMs: 10 * 60_000 };
      // One fixed window whenever the test runs: 4 minutes into it.
      const windowStart = Math.floor(Date.now() / rule.windowMs) * rule.windowMs;
      const now = new Date(windowStart + 4 * 60_000);
      for (let i = 0; i < rule.limit; i++) await allowPlaygroundStart(t.db, "ann", rule, now);
      const limited = await refusal(allowPlaygroundStart(t.db, "ann", rule, now));
      expect([limited.status, limited.code]).toEqual([429, "RATE_LIMITED"]);
      expect(limited.message).toBe(
        "You have started the playground 3 times in 10 minutes. Try again in 360 s.",
      );
      expect(limited.extra).toEqual({ retryAfterSeconds: 360 });
      // Another learner is not held up; the next window starts afresh.
      await allowPlaygroundStart(t.db, "ben", rule, now);
      await allowPlaygroundStart(t.db, "ann", rule, new Date(windowStart + rule.windowMs));
    });

    it("racing starts count once each", async () => {
      const rule = { limit: 5, windowMs: 10 * 60_000 };
      const now = new Date(Math.floor(Date.now() / rule.windowMs) * rule.windowMs + 1000);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => allowPlaygroundStart(t.db, "cam", rule, now)),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
      expect(
        outcomes.every((o) => o.status === "fulfilled" || (o.reason as HttpError).code === "RATE_LIMITED"),
      ).toBe(true);
    });

    it("the default is generous for trying things by hand", () => {
      expect(PLAYGROUND_START_RATE_LIMIT).toEqual({ limit: 20, windowMs: 10 * 60_000 });
    });
  });
}

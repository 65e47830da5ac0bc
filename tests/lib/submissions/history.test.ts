// The history a page at a time (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set): newest first,
// `before` the last id lists the next older page, runs created in the same millisecond are neither
// skipped nor repeated, and `before` another learner's (or another lab's) submission is 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "../../../lib/http/errors.ts";
import { HISTORY_PAGE_SIZE, submissionHistory } from "../../../lib/submissions/queries.ts";
import { databaseKinds, type TestDb } from "../../helpers/test-db.ts";

for (const { kind, create } of databaseKinds) {
  describe(`submission history pages on ${kind}`, () => {
    let t: TestDb;
    let amy: string;
    let ids: string[]; // amy's hello-server runs, newest first
    let otherLab: string;
    let otherLearner: string;

    beforeAll(async () => {
      t = await create();
      amy = (await t.db.user.create({ data: { email: "amy@example.com" } })).id;
      const bob = (await t.db.user.create({ data: { email: "bob@example.com" } })).id;
      const base = Date.UTC(2026, 10, 1);
      // Seven runs; the 3rd and 4th share a millisecond, as a burst can.
      const times = [0, 1000, 2000, 2000, 3000, 4000, 5000].map((ms) => new Date(base + ms));
      const make = (userId: string, labId: string, createdAt: Date, n: number) =>
        t.db.submission.create({
          data: {
            userId,
            labId,
            lang: "python",
            kind: "run",
            files: "{}",
            idempotencyKey: `history-${userId}-${labId}-${n}`,
            seed: 1,
            status: "done",
            createdAt,
          },
          select: { id: true, createdAt: true },
        });
      const rows = [];
      for (const [n, at] of times.entries()) rows.push(await make(amy, "hello-server", at, n));
      ids = rows
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((r) => r.id);
      otherLab = (await make(amy, "schemas", new Date(base + 9000), 99)).id;
      otherLearner = (await make(bob, "hello-server", new Date(base + 9000), 99)).id;
    });
    afterAll(async () => {
      await t?.drop();
    });

    it("pages through every run once, newest first", async () => {
      const first = await submissionHistory(t.db, amy, "hello-server", { take: 3 });
      expect(first.more).toBe(true);
      const second = await submissionHistory(t.db, amy, "hello-server", {
        take: 3,
        before: first.submissions.at(-1)!.id,
      });
      expect(second.more).toBe(true);
      const third = await submissionHistory(t.db, amy, "hello-server", {
        take: 3,
        before: second.submissions.at(-1)!.id,
      });
      expect(third.more).toBe(false);
      const listed = [first, second, third].flatMap((page) => page.submissions.map((s) => s.id));
      expect(listed).toEqual(ids);
    });

    it("one page holds them all by default, with nothing more", async () => {
      expect(HISTORY_PAGE_SIZE).toBe(50);
      const page = await submissionHistory(t.db, amy, "hello-server");
      expect(page.submissions.map((s) => s.id)).toEqual(ids);
      expect(page.more).toBe(false);
      // Exactly a page: no "more" either.
      expect((await submissionHistory(t.db, amy, "hello-server", { take: 7 })).more).toBe(false);
    });

    it.each([
      ["another learner's submission", () => otherLearner],
      ["a submission of another lab", () => otherLab],
      ["an id that does not exist", () => "no-such-id"],
    ])("before %s: 404", async (_, before) => {
      const error = await submissionHistory(t.db, amy, "hello-server", { before: before() }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(404);
    });
  });
}

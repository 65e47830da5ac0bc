import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client.ts";
import { labStatistics, median, RESULT_BATCH } from "../../../lib/gradebook/stats.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";
import { storeSubmission } from "./fixtures.ts";

const LAB = "hello-server";
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));

describe("lab statistics", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshSqlite();
  });
  afterEach(() => t.drop());

  it("median of odd, even and empty lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("pass rate, attempts to pass, verdicts and the checks that fail most, from stored results", async () => {
    const learner = (email: string) => t.db.user.create({ data: { email } }).then((u) => u.id);
    const [ada, bob, cy, dee] = await Promise.all(["a@x.io", "b@x.io", "c@x.io", "d@x.io"].map(learner));
    const staff = (await t.db.user.create({ data: { email: "t@x.io", role: "instructor" } })).id;
    // ada: fails twice (tools, then search), passes on the third submission.
    await storeSubmission(t.db, ada, LAB, "checks-failed", {
      createdAt: at(1),
      checks: [
        ["tools-listed", "fail"],
        ["search-finds-note", "skipped"],
      ],
    });
    await storeSubmission(t.db, ada, LAB, "checks-failed", {
      createdAt: at(2),
      checks: [
        ["tools-listed", "pass"],
        ["search-finds-note", "fail"],
      ],
    });
    await storeSubmission(t.db, ada, LAB, "passed", {
      createdAt: at(3),
      checks: [
        ["tools-listed", "pass"],
        ["search-finds-note", "pass"],
      ],
    });
    // bob: passes first time; an infra error before it is not an attempt.
    await storeSubmission(t.db, bob, LAB, "infra-error", { createdAt: at(4) });
    await storeSubmission(t.db, bob, LAB, "passed", {
      createdAt: at(5),
      checks: [
        ["tools-listed", "pass"],
        ["search-finds-note", "pass"],
      ],
    });
    // cy: never passes; practice runs never count.
    await storeSubmission(t.db, cy, LAB, "did-not-start", { createdAt: at(6), checks: [] });
    await storeSubmission(t.db, cy, LAB, "checks-failed", {
      createdAt: at(7),
      checks: [
        ["tools-listed", "fail"],
        ["search-finds-note", "skipped"],
      ],
    });
    await storeSubmission(t.db, cy, LAB, "passed", { kind: "run", createdAt: at(8) });
    // dee: only a queued submission, not graded yet; staff work is not in the figures.
    await storeSubmission(t.db, dee, LAB, null, { createdAt: at(9) });
    await storeSubmission(t.db, staff, LAB, "checks-failed", { createdAt: at(10) });
    // A result that no longer parses is counted as unreadable, not silently dropped.
    const broken = await storeSubmission(t.db, cy, LAB, "checks-failed", { createdAt: at(11) });
    await t.db.submission.update({ where: { id: broken.id }, data: { result: '{"version":99}' } });

    const stats = await labStatistics(t.db, LAB);
    expect(stats).toMatchObject({
      learnersAttempted: 3,
      learnersPassed: 2,
      submissions: 8,
      attemptsToPass: { median: 2, mean: 2, max: 3 },
      verdicts: { "checks-failed": 4, passed: 2, "did-not-start": 1 },
      unreadableResults: 1,
    });
    expect(stats.passRate).toBeCloseTo(2 / 3);
    expect(stats.failingChecks.map((c) => [c.id, c.failures, c.runs])).toEqual([
      ["tools-listed", 2, 5],
      ["search-finds-note", 1, 3],
    ]);
  });

  it("nobody attempted: no pass rate", async () => {
    expect(await labStatistics(t.db, LAB)).toMatchObject({
      learnersAttempted: 0,
      passRate: null,
      failingChecks: [],
    });
  });

  it("reads stored results a batch at a time, only each submission's newest run, and counts them all", async () => {
    const learners = 2 * RESULT_BATCH + 7;
    for (let i = 0; i < learners; i++) {
      const id = (await t.db.user.create({ data: { email: `l${i}@x.io` } })).id;
      const first = await storeSubmission(t.db, id, LAB, "checks-failed", {
        createdAt: at(1),
        checks: [["tools-listed", "fail"]],
      });
      // A regrade of it that passes: the figures follow the newest run, the old result is never read.
      const regrade = await storeSubmission(t.db, id, LAB, "passed", {
        createdAt: at(2),
        checks: [["tools-listed", "pass"]],
      });
      await t.db.submission.update({ where: { id: regrade.id }, data: { regradeOfId: first.id } });
    }
    // Every query that selects stored results, and how many rows it returned.
    const resultReads: number[] = [];
    const submission = new Proxy(t.db.submission, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== "findMany") return value;
        return async (args: { select?: { result?: boolean } }) => {
          const rows = await target.findMany(args as Parameters<typeof target.findMany>[0]);
          if (args.select?.result) resultReads.push(rows.length);
          return rows;
        };
      },
    });
    const db = new Proxy(t.db, {
      get: (target, property, receiver) =>
        property === "submission" ? submission : Reflect.get(target, property, receiver),
    }) as Db;
    const stats = await labStatistics(db, LAB);
    expect(stats).toMatchObject({
      learnersAttempted: learners,
      learnersPassed: learners,
      submissions: learners,
    });
    expect(stats.failingChecks).toEqual([]); // the failed originals were regraded to a pass
    expect(resultReads).toEqual([RESULT_BATCH, RESULT_BATCH, 7]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { regradeLab, regradeProgress, regradeSubmission } from "../../../lib/gradebook/regrade.ts";
import { submissionDetail } from "../../../lib/gradebook/submission.ts";
import { DbJobQueue } from "../../../lib/queue/db-queue.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";
import { gradeResult, storeSubmission } from "./fixtures.ts";

const LAB = "hello-server";

describe("regrading through the queue", () => {
  let t: TestDb;
  let queue: DbJobQueue;
  let instructor: string;
  let ada: string;
  let bob: string;
  const enqueue = (submissionId: string) => queue.enqueue({ submissionId });

  beforeEach(async () => {
    t = await freshSqlite();
    queue = new DbJobQueue(t.db);
    instructor = (await t.db.user.create({ data: { email: "t@x.io", role: "instructor" } })).id;
    ada = (await t.db.user.create({ data: { email: "a@x.io" } })).id;
    bob = (await t.db.user.create({ data: { email: "b@x.io" } })).id;
  });
  afterEach(() => t.drop());

  /**
   * Works the queue the way the real worker does (claim the job, grade the submission's files, write the
   * result once); the grading itself is a stand-in here: the checks "changed" so every run now passes.
   */
  async function workQueue(until: () => Promise<boolean>) {
    let finish!: () => void;
    const drained = new Promise<void>((resolve) => (finish = resolve));
    const worker = await queue.startWorker(
      async ({ submissionId }) => {
        const row = await t.db.submission.findUniqueOrThrow({ where: { id: submissionId } });
        const result = gradeResult(row.labId, "passed", [["tools-listed", "pass"]]);
        await t.db.submission.updateMany({
          where: { id: row.id, status: "queued" },
          data: {
            status: "done",
            verdict: result.verdict,
            score: result.score,
            maxScore: result.maxScore,
            result: JSON.stringify(result),
            finishedAt: new Date(),
          },
        });
        if (await until()) finish();
      },
      { workerId: "test", concurrency: 1, leaseMs: 5000, pollMs: 20 },
    );
    await drained;
    await worker.stop();
  }

  it("regrading a lab makes a new row per graded submit, keeps the old results, and reports progress", async () => {
    const a1 = await storeSubmission(t.db, ada, LAB, "checks-failed", {
      files: { "server.py": "# ada v1\n" },
    });
    const b1 = await storeSubmission(t.db, bob, LAB, "passed");
    await storeSubmission(t.db, bob, LAB, "checks-failed", { kind: "run" }); // practice: not regraded
    await storeSubmission(t.db, ada, LAB, null); // still queued: graded with the new checks anyway
    await storeSubmission(t.db, ada, "schemas", "checks-failed"); // another lab
    const before = await t.db.submission.findUniqueOrThrow({ where: { id: a1.id } });

    const { batchId, total } = await regradeLab(t.db, enqueue, instructor, LAB);
    expect(total).toBe(2);
    const regrades = await t.db.submission.findMany({ where: { regradeBatchId: batchId } });
    expect(regrades.map((r) => r.regradeOfId).sort()).toEqual([a1.id, b1.id].sort());
    const adaRegrade = regrades.find((r) => r.regradeOfId === a1.id)!;
    expect(adaRegrade).toMatchObject({
      userId: ada,
      files: before.files,
      seed: before.seed,
      kind: "submit",
      status: "queued",
    });
    expect(await queue.depth()).toEqual({ queued: 2, running: 0 });
    expect(await regradeProgress(t.db, batchId)).toMatchObject({
      total: 2,
      finished: 0,
      queued: 2,
      complete: false,
    });

    await workQueue(async () => (await regradeProgress(t.db, batchId))?.complete === true);

    const progress = await regradeProgress(t.db, batchId);
    expect(progress).toMatchObject({ total: 2, finished: 2, passed: 2, errors: 0, complete: true });
    expect(progress?.changed).toEqual([
      { submissionId: adaRegrade.id, originalId: a1.id, from: "checks-failed", to: "passed" },
    ]);
    // The original is untouched: same verdict, same stored result.
    expect(await t.db.submission.findUniqueOrThrow({ where: { id: a1.id } })).toEqual(before);
    const detail = await submissionDetail(t.db, adaRegrade.id);
    expect(detail?.family.map((row) => [row.id, row.verdict])).toEqual([
      [a1.id, "checks-failed"],
      [adaRegrade.id, "passed"],
    ]);
    const audit = await t.db.auditEvent.findMany({ where: { action: "submission.regrade-requested" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: instructor, targetType: "lab", targetId: LAB });
  });

  it("regrading one submission (or a regrade of it) regrades its original; unfinished or unknown ones are refused", async () => {
    const a1 = await storeSubmission(t.db, ada, LAB, "checks-failed");
    const first = await regradeSubmission(t.db, enqueue, instructor, a1.id);
    const regrade = await t.db.submission.findFirstOrThrow({ where: { regradeBatchId: first.batchId } });
    await expect(regradeSubmission(t.db, enqueue, instructor, a1.id)).rejects.toMatchObject({
      status: 409,
      code: "REGRADE_IN_PROGRESS",
    });
    const queued = await storeSubmission(t.db, bob, LAB, null);
    await expect(regradeSubmission(t.db, enqueue, instructor, queued.id)).rejects.toMatchObject({
      status: 409,
      code: "NOT_GRADED_YET",
    });
    // A lab regrade skips submissions whose regrade is still pending.
    await expect(regradeLab(t.db, enqueue, instructor, LAB)).rejects.toMatchObject({
      code: "NOTHING_TO_REGRADE",
    });
    await t.db.submission.update({ where: { id: regrade.id }, data: { status: "done", verdict: "passed" } });
    const second = await regradeSubmission(t.db, enqueue, instructor, regrade.id);
    const again = await t.db.submission.findFirstOrThrow({ where: { regradeBatchId: second.batchId } });
    expect(again.regradeOfId).toBe(a1.id);
    await expect(regradeSubmission(t.db, enqueue, instructor, "nope")).rejects.toMatchObject({ status: 404 });
    await expect(regradeLab(t.db, enqueue, instructor, "schemas")).rejects.toMatchObject({
      status: 409,
      code: "NOTHING_TO_REGRADE",
    });
  });

  it("a queue that refuses the job leaves the regrade marked error, not queued forever", async () => {
    const a1 = await storeSubmission(t.db, ada, LAB, "checks-failed");
    const failing = async () => {
      throw new Error("queue down");
    };
    await expect(regradeSubmission(t.db, failing, instructor, a1.id)).rejects.toThrow("queue down");
    const row = await t.db.submission.findFirstOrThrow({ where: { regradeOfId: a1.id } });
    expect(row).toMatchObject({ status: "error", verdict: "infra-error" });
    // A lab regrade that fails half-way: the batch shrinks to what was created, so it still completes.
    await storeSubmission(t.db, bob, LAB, "passed");
    let calls = 0;
    const secondFails = async (submissionId: string) => {
      if (++calls === 2) throw new Error("queue down");
      return enqueue(submissionId);
    };
    await expect(regradeLab(t.db, secondFails, instructor, LAB)).rejects.toThrow("queue down");
    const batch = await t.db.regradeBatch.findFirstOrThrow({ where: { scope: "lab" } });
    expect(batch.total).toBe(2);
    await workQueue(async () => (await regradeProgress(t.db, batch.id))?.complete === true);
    expect(await regradeProgress(t.db, batch.id)).toMatchObject({
      total: 2,
      finished: 2,
      errors: 1,
      passed: 1,
    });
  });
});

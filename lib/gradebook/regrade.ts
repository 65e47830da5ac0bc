import "server-only";
// Regrading: after a lab's checks change, grade learners' code again through the normal queue. A
// regrade never overwrites: each regraded submission gets a NEW Submission row (same files, same seed,
// so only the checks differ) linked to the original by regradeOfId, and grouped in a RegradeBatch
// whose progress is "finished of total". The worker grades it like any other submission.
import type { Db } from "../db/client.ts";
import { HttpError } from "../http/errors.ts";

/** Hands one queued submission to the grading queue (lib/submissions' enqueue in the app). */
export type EnqueueGrading = (submissionId: string) => Promise<unknown>;

export interface RegradeProgress {
  batchId: string;
  labId: string;
  scope: "submission" | "lab";
  createdAt: Date;
  total: number;
  queued: number;
  running: number;
  /** Graded (done) plus could-not-grade (error). */
  finished: number;
  errors: number;
  passed: number;
  /** Finished regrades whose verdict differs from the submission they regraded. */
  changed: Array<{ submissionId: string; originalId: string; from: string | null; to: string | null }>;
  complete: boolean;
}

const REGRADABLE_STATUSES = ["done", "error"];
const PENDING = ["queued", "running"];

/**
 * Creates the batch and one queued regrade per original, enqueueing each as it goes. Originals are
 * read one at a time (a lab's submissions can be large; only one code snapshot is in memory at once).
 */
async function createBatch(
  db: Db,
  enqueue: EnqueueGrading,
  instructorId: string,
  labId: string,
  scope: "submission" | "lab",
  originalIds: string[],
): Promise<{ batchId: string; total: number }> {
  const batch = await db.regradeBatch.create({
    data: { labId, scope, requestedById: instructorId, total: originalIds.length },
  });
  await db.auditEvent.create({
    data: {
      actorId: instructorId,
      action: "submission.regrade-requested",
      targetType: scope === "lab" ? "lab" : "submission",
      targetId: scope === "lab" ? labId : originalIds[0],
      detail: JSON.stringify({ batchId: batch.id, total: originalIds.length }),
    },
  });
  let created = 0;
  for (const originalId of originalIds) {
    const original = await db.submission.findUniqueOrThrow({
      where: { id: originalId },
      select: { id: true, userId: true, labId: true, lang: true, kind: true, files: true, seed: true },
    });
    const regrade = await db.submission.create({
      data: {
        userId: original.userId,
        labId: original.labId,
        lang: original.lang,
        kind: original.kind,
        files: original.files,
        seed: original.seed,
        idempotencyKey: `regrade:${batch.id}:${original.id}`,
        status: "queued",
        regradeOfId: original.id,
        regradeBatchId: batch.id,
      },
    });
    created += 1;
    try {
      await enqueue(regrade.id);
    } catch (error) {
      // Not queued means never graded: say so on the row instead of leaving it "queued" forever, and
      // shrink the batch to what exists, so its progress can still reach "complete".
      await db.submission.update({
        where: { id: regrade.id },
        data: { status: "error", verdict: "infra-error", finishedAt: new Date() },
      });
      await db.regradeBatch.update({ where: { id: batch.id }, data: { total: created } });
      throw error;
    }
  }
  return { batchId: batch.id, total: originalIds.length };
}

const originalFields = { id: true, labId: true, status: true, regradeOfId: true } as const;

/** Regrades one submission (a regrade's id regrades its original). */
export async function regradeSubmission(
  db: Db,
  enqueue: EnqueueGrading,
  instructorId: string,
  submissionId: string,
) {
  const found = await db.submission.findUnique({ where: { id: submissionId }, select: originalFields });
  if (!found) throw new HttpError(404, "UNKNOWN_SUBMISSION", "There is no such submission.");
  const original = found.regradeOfId
    ? await db.submission.findUniqueOrThrow({ where: { id: found.regradeOfId }, select: originalFields })
    : found;
  if (!REGRADABLE_STATUSES.includes(original.status))
    throw new HttpError(
      409,
      "NOT_GRADED_YET",
      "This submission is still being graded; regrade it once it is done.",
    );
  const pending = await db.submission.count({ where: { regradeOfId: original.id, status: { in: PENDING } } });
  if (pending > 0)
    throw new HttpError(
      409,
      "REGRADE_IN_PROGRESS",
      "A regrade of this submission is already queued or running.",
    );
  return createBatch(db, enqueue, instructorId, original.labId, "submission", [original.id]);
}

/** Regrades every graded Submit of a lab (practice runs are not regraded: they never count). */
export async function regradeLab(db: Db, enqueue: EnqueueGrading, instructorId: string, labId: string) {
  const originals = await db.submission.findMany({
    // A submission whose regrade is still pending is left out: that run loads the current checks anyway.
    where: {
      labId,
      kind: "submit",
      regradeOfId: null,
      status: { in: REGRADABLE_STATUSES },
      regrades: { none: { status: { in: PENDING } } },
    },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  if (originals.length === 0)
    throw new HttpError(409, "NOTHING_TO_REGRADE", "No graded submissions of this lab to regrade.");
  return createBatch(
    db,
    enqueue,
    instructorId,
    labId,
    "lab",
    originals.map((original) => original.id),
  );
}

export async function regradeProgress(db: Db, batchId: string): Promise<RegradeProgress | null> {
  const batch = await db.regradeBatch.findUnique({
    where: { id: batchId },
    include: {
      submissions: {
        select: {
          id: true,
          status: true,
          verdict: true,
          regradeOfId: true,
          regradeOf: { select: { verdict: true } },
        },
      },
    },
  });
  if (!batch) return null;
  const count = (status: string) => batch.submissions.filter((row) => row.status === status).length;
  const finished = batch.submissions.filter((row) => REGRADABLE_STATUSES.includes(row.status));
  return {
    batchId: batch.id,
    labId: batch.labId,
    scope: batch.scope === "lab" ? "lab" : "submission",
    createdAt: batch.createdAt,
    total: batch.total,
    queued: count("queued"),
    running: count("running"),
    finished: finished.length,
    errors: count("error"),
    passed: finished.filter((row) => row.verdict === "passed").length,
    changed: finished
      .filter((row) => row.verdict !== (row.regradeOf?.verdict ?? null))
      .map((row) => ({
        submissionId: row.id,
        originalId: row.regradeOfId ?? row.id,
        from: row.regradeOf?.verdict ?? null,
        to: row.verdict,
      })),
    complete: finished.length >= batch.total,
  };
}

/** The newest regrade batches, for the lab page. */
export async function recentRegrades(db: Db, labId: string, take = 5) {
  const batches = await db.regradeBatch.findMany({
    where: { labId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true },
  });
  const progress = await Promise.all(batches.map((batch) => regradeProgress(db, batch.id)));
  return progress.filter((entry): entry is RegradeProgress => entry !== null);
}

/** The sentence for a refused regrade's code (pages get only the code in their URL, never free text). */
export const REGRADE_REFUSALS: Record<string, string> = {
  NOT_GRADED_YET: "This submission is still being graded; regrade it once it is done.",
  REGRADE_IN_PROGRESS: "A regrade of this submission is already queued or running.",
  NOTHING_TO_REGRADE: "No graded submissions of this lab to regrade.",
  UNKNOWN_SUBMISSION: "There is no such submission.",
};

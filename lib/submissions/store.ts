// The worker's side of a submission: claim it for one grading attempt, append its events, and write
// its result exactly once. Jobs are delivered at least once (lib/queue), so every write here is a
// compare-and-set on (status "running", startedAt = this attempt's token): a worker that lost its
// lease (killed, stalled) can no longer write anything once another attempt has claimed the
// submission, and nobody can write after the result is in.
import type { GradeResult } from "../../conformance/result.ts";
import type { Db } from "../db/client.ts";
import type { SubmissionEventData } from "./events.ts";

export interface Claim {
  submissionId: string;
  /** This attempt's fencing token: the startedAt it wrote. */
  token: Date;
  /** The next free event seq. */
  nextSeq: number;
  submission: {
    id: string;
    userId: string;
    labId: string;
    lang: string;
    kind: string;
    files: string;
    seed: number;
    createdAt: Date;
  };
}

export type ClaimOutcome = { claimed: Claim } | { skipped: "already-graded" | "not-found" | "lost-race" };

/** Takes the submission for one grading attempt (queued, or running under a lost attempt). */
export async function claimSubmission(db: Db, submissionId: string, now = new Date()): Promise<ClaimOutcome> {
  const row = await db.submission.findUnique({ where: { id: submissionId } });
  if (!row) return { skipped: "not-found" };
  if (row.status === "done" || row.status === "error") return { skipped: "already-graded" };
  // Strictly later than the previous token, so two attempts never share one.
  const previous = row.startedAt?.getTime() ?? 0;
  const token = new Date(Math.max(now.getTime(), previous + 1));
  const taken = await db.submission.updateMany({
    where: { id: row.id, status: row.status, startedAt: row.startedAt },
    data: { status: "running", startedAt: token },
  });
  if (taken.count !== 1) return { skipped: "lost-race" };
  const last = await db.submissionEvent.findFirst({
    where: { submissionId },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  return {
    claimed: {
      submissionId,
      token,
      nextSeq: (last?.seq ?? 0) + 1,
      submission: {
        id: row.id,
        userId: row.userId,
        labId: row.labId,
        lang: row.lang,
        kind: row.kind,
        files: row.files,
        seed: row.seed,
        createdAt: row.createdAt,
      },
    },
  };
}

/**
 * Worker transactions may wait for a connection longer than Prisma's 2 s default: under a burst, a
 * result that could not be written would make the job fail and the code be graded again.
 */
const TX = { maxWait: 10_000, timeout: 20_000 };

function ownsIt(claim: Claim) {
  return { id: claim.submissionId, status: "running", startedAt: claim.token };
}

/**
 * Appends events with the next seqs, only while this attempt still owns the submission.
 * Returns false when it does not (another attempt took over, or the result is in).
 */
export async function appendEvents(db: Db, claim: Claim, events: SubmissionEventData[]): Promise<boolean> {
  if (events.length === 0) return true;
  const first = claim.nextSeq;
  const ok = await db.$transaction(async (tx) => {
    // Write first (a no-op update that proves ownership): on SQLite a transaction that reads before
    // it writes can deadlock with another process's writer and fail at once with SQLITE_BUSY.
    const owned = await tx.submission.updateMany({ where: ownsIt(claim), data: { startedAt: claim.token } });
    if (owned.count !== 1) return false;
    await tx.submissionEvent.createMany({
      data: events.map((event, i) => ({
        submissionId: claim.submissionId,
        seq: first + i,
        type: event.type,
        data: JSON.stringify(event),
      })),
    });
    return true;
  }, TX);
  if (ok) claim.nextSeq = first + events.length;
  return ok;
}

/** The submission's status once graded: done when the learner's code was judged, error when not. */
export function finalStatus(result: GradeResult): "done" | "error" {
  return result.status === "error" ? "error" : "done";
}

/**
 * Writes the result and the `finished` event, once. Returns false when this attempt no longer owns
 * the submission (then nothing was written).
 */
export async function finishOnce(
  db: Db,
  claim: Claim,
  result: GradeResult,
  now = new Date(),
): Promise<boolean> {
  const finished: SubmissionEventData = {
    type: "finished",
    status: result.status,
    verdict: result.verdict,
    score: result.score,
    maxScore: result.maxScore,
    message: result.message ?? defaultMessage(result),
  };
  return db.$transaction(async (tx) => {
    const written = await tx.submission.updateMany({
      where: ownsIt(claim),
      data: {
        status: finalStatus(result),
        verdict: result.verdict,
        score: result.score,
        maxScore: result.maxScore,
        result: JSON.stringify(result),
        finishedAt: now,
      },
    });
    if (written.count !== 1) return false;
    await tx.submissionEvent.create({
      data: {
        submissionId: claim.submissionId,
        seq: claim.nextSeq,
        type: "finished",
        data: JSON.stringify(finished),
      },
    });
    claim.nextSeq += 1;
    return true;
  }, TX);
}

/** Hands the submission back to the queue after an infra error, so the retry can claim it. */
export async function releaseForRetry(db: Db, claim: Claim, message: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const released = await tx.submission.updateMany({ where: ownsIt(claim), data: { status: "queued" } });
    if (released.count !== 1) return false;
    const event: SubmissionEventData = { type: "retrying", message };
    await tx.submissionEvent.create({
      data: {
        submissionId: claim.submissionId,
        seq: claim.nextSeq,
        type: event.type,
        data: JSON.stringify(event),
      },
    });
    claim.nextSeq += 1;
    return true;
  }, TX);
}

export function defaultMessage(result: Pick<GradeResult, "verdict" | "score" | "maxScore">): string {
  switch (result.verdict) {
    case "passed":
      return `Every required check passed (${result.score}/${result.maxScore}).`;
    case "checks-failed":
      return `${result.maxScore - result.score} of ${result.maxScore} checks did not pass.`;
    case "did-not-start":
      return "Your server did not answer initialize. Its stderr below says why.";
    case "crashed":
      return "Your server exited in the middle of the run. Its stderr below says why.";
    case "timeout":
      return "Your server ran out of time (wall or CPU time limit).";
    case "memory-limit":
      return "Your server was stopped by the memory limit.";
    case "output-limit":
      return "Your server wrote more output than the limit; the run was cut there.";
    case "bad-submission":
      return "We could not grade these files.";
    case "infra-error":
      return "We could not grade this submission (our fault); it does not count as an attempt.";
  }
}

/** Submissions stuck longer than this were lost (every attempt's worker died): they end as infra-error. */
export const STALE_AFTER_MS = 15 * 60_000;

/**
 * Ends submissions that no worker will ever finish (their job ran out of attempts, or the queue lost
 * it): status error, verdict infra-error, which never counts as an attempt. Returns how many.
 */
export async function failStale(db: Db, now = new Date(), staleAfterMs = STALE_AFTER_MS): Promise<number> {
  const cutoff = new Date(now.getTime() - staleAfterMs);
  const stuck = await db.submission.findMany({
    where: { status: { in: ["queued", "running"] }, createdAt: { lt: cutoff } },
    select: { id: true, status: true, startedAt: true },
    take: 100,
  });
  let ended = 0;
  for (const row of stuck) {
    const message =
      "We could not grade this submission (our workers lost it); it does not count. Run it again.";
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.submission.updateMany({
        where: { id: row.id, status: row.status, startedAt: row.startedAt },
        data: { status: "error", verdict: "infra-error", finishedAt: now },
      });
      if (updated.count !== 1) return false;
      const last = await tx.submissionEvent.findFirst({
        where: { submissionId: row.id },
        orderBy: { seq: "desc" },
        select: { seq: true },
      });
      const event: SubmissionEventData = {
        type: "finished",
        status: "error",
        verdict: "infra-error",
        score: 0,
        maxScore: 0,
        message,
      };
      await tx.submissionEvent.create({
        data: {
          submissionId: row.id,
          seq: (last?.seq ?? 0) + 1,
          type: "finished",
          data: JSON.stringify(event),
        },
      });
      return true;
    }, TX);
    if (done) ended++;
  }
  return ended;
}

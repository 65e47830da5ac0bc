// Storing a submission and queueing its grading: validated files, an idempotency key (a double click
// grades once), one grading at a time per learner (checked and inserted under a per-learner lock), and
// a rate limit. Nothing is stored when any of these refuses.
import { randomInt } from "node:crypto";
import type { Db } from "../db/client.ts";
import { type DbTx, lockForTransaction } from "../db/transaction-lock.ts";
import { HttpError } from "../http/errors.ts";
import { entryFile, getLab, type LabLanguage } from "../labs/catalog.ts";
import { log } from "../log.ts";
import { countHit, type RateLimitRule, rateLimitedError } from "../rate-limit.ts";
import { oversizeMessage, parseStoredFiles, type SubmittedFiles, sameFiles } from "./files.ts";
import { STALE_AFTER_MS } from "./store.ts";

export type SubmissionKind = "run" | "submit";

export interface NewSubmission {
  userId: string;
  labId: string;
  lang: LabLanguage;
  kind: SubmissionKind;
  files: SubmittedFiles;
  idempotencyKey: string;
}

/** 30 gradings per 10 minutes per learner: far above honest use, low enough to protect the graders. */
export const SUBMISSION_RATE_LIMIT: RateLimitRule = { limit: 30, windowMs: 10 * 60_000 };

export interface CreateOptions {
  enqueue: (submissionId: string) => Promise<void>;
  rateLimit?: RateLimitRule;
  now?: Date;
}

export interface CreatedSubmission {
  id: string;
  status: string;
  /** false when the idempotency key had been used: the earlier submission is returned. */
  created: boolean;
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Contention, not failure: a transaction that could not start in time (P2028, every connection busy in
 * a burst), or SQLite's lock refusal while another process (an external worker on the same file)
 * writes. The submission's transaction reads before it writes, which SQLite refuses at once instead of
 * waiting; a short retry (of the whole transaction) gets through. Still busy after that: 503, nothing
 * stored.
 */
function isContention(error: unknown): boolean {
  if (hasCode(error, "P2028")) return true;
  try {
    return /SQLITE_BUSY|database is locked/.test(`${String(error)} ${JSON.stringify(error)}`);
  } catch {
    return false;
  }
}

async function withBusyRetry<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isContention(error)) throw error;
      if (attempt >= attempts)
        throw new HttpError(
          503,
          "SERVER_BUSY",
          "The server is busy right now; nothing was stored. Try again in a few seconds.",
        );
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt + Math.random() * 50));
    }
  }
}

async function existingFor(db: Db | DbTx, input: NewSubmission): Promise<CreatedSubmission | null> {
  const row = await db.submission.findUnique({
    where: { userId_idempotencyKey: { userId: input.userId, idempotencyKey: input.idempotencyKey } },
  });
  if (!row) return null;
  const same =
    row.labId === input.labId &&
    row.lang === input.lang &&
    row.kind === input.kind &&
    sameFiles(parseStoredFiles(row.files), input.files);
  if (!same)
    throw new HttpError(
      409,
      "IDEMPOTENCY_KEY_REUSED",
      "This idempotency key was already used for different files; send a new key for new work.",
    );
  return { id: row.id, status: row.status, created: false };
}

export async function createSubmission(
  db: Db,
  input: NewSubmission,
  options: CreateOptions,
): Promise<CreatedSubmission> {
  const lab = await getLab(input.labId);
  if (!lab) throw new HttpError(404, "UNKNOWN_LAB", `There is no lab "${input.labId}".`);
  if (!lab.languages.includes(input.lang))
    throw new HttpError(400, "LANGUAGE_NOT_OFFERED", `Lab ${lab.id} is not offered in ${input.lang}.`);
  const tooLarge = oversizeMessage(input.files);
  if (tooLarge) throw new HttpError(413, "FILES_TOO_LARGE", tooLarge);
  const entry = entryFile(lab, input.lang);
  if (!(entry in input.files))
    throw new HttpError(
      400,
      "ENTRY_MISSING",
      `Your files must include ${entry}: the grader starts your server from it.`,
    );

  const earlier = await existingFor(db, input);
  if (earlier) return earlier;

  const now = options.now ?? new Date();
  const rule = options.rateLimit ?? SUBMISSION_RATE_LIMIT;
  let row: { id: string; status: string };
  try {
    // The check "nothing of this learner's is being graded" and the insert it allows happen under one
    // per-learner lock, in one transaction: two requests with different keys (two tabs, a script)
    // cannot both pass the check. A refusal rolls the transaction back, the rate-limit hit with it.
    const outcome = await withBusyRetry(() =>
      db.$transaction(async (tx) => {
        await lockForTransaction(db, tx, `grading:${input.userId}`);
        // The other half of a double click may have committed while this one waited for the lock.
        const raced = await existingFor(tx, input);
        if (raced) return { earlier: raced };
        const active = await tx.submission.findFirst({
          where: {
            userId: input.userId,
            status: { in: ["queued", "running"] },
            createdAt: { gt: new Date(now.getTime() - STALE_AFTER_MS) },
            // An instructor's regrade of old code does not hold up the learner's own runs.
            regradeOfId: null,
          },
          orderBy: { createdAt: "desc" },
        });
        if (active)
          throw new HttpError(
            409,
            "GRADING_IN_PROGRESS",
            "Your previous run is still being graded. Wait for its result, then run again.",
            { submissionId: active.id, labId: active.labId },
          );
        const decision = await countHit(tx, `submissions:${input.userId}`, rule, now);
        if (!decision.allowed) throw rateLimitedError(`run ${rule.limit} gradings`, rule, decision);
        const inserted = await tx.submission.create({
          data: {
            userId: input.userId,
            labId: lab.id,
            lang: input.lang,
            kind: input.kind,
            files: JSON.stringify(input.files),
            idempotencyKey: input.idempotencyKey,
            seed: randomInt(1, 2 ** 31 - 1),
          },
          select: { id: true, status: true },
        });
        return { inserted };
      }),
    );
    if (outcome.earlier) return outcome.earlier;
    row = outcome.inserted;
  } catch (error) {
    // SQLite across processes: the same key inserted by another process between our reads.
    if (hasCode(error, "P2002")) {
      const raced = await existingFor(db, input);
      if (raced) return raced;
    }
    throw error;
  }

  try {
    await options.enqueue(row.id);
  } catch (error) {
    log.error({ err: error, submissionId: row.id }, "submissions: enqueue failed");
    await db.submission.updateMany({
      where: { id: row.id, status: "queued" },
      data: { status: "error", verdict: "infra-error", finishedAt: new Date() },
    });
    throw new HttpError(
      503,
      "QUEUE_UNAVAILABLE",
      "The grading queue is unavailable right now; try again in a minute.",
    );
  }
  log.info({ submissionId: row.id, labId: lab.id, lang: input.lang, kind: input.kind }, "submission queued");
  return { id: row.id, status: row.status, created: true };
}

// Reading submissions for their owner: history, one submission with its result and code, events
// after a seq (SSE replay) and the queue position. Another learner's id is simply "not found":
// never its code, never a hint that it exists.
import { type GradeResult, parseGradeResult } from "../../conformance/result.ts";
import type { Db } from "../db/client.ts";
import { HttpError } from "../http/errors.ts";
import { log } from "../log.ts";
import type { StoredEvent, SubmissionEventData } from "./events.ts";
import { parseStoredFiles, type SubmittedFiles } from "./files.ts";
import { defaultMessage } from "./store.ts";

export type SubmissionStatus = "queued" | "running" | "done" | "error";

export interface SubmissionSummary {
  id: string;
  labId: string;
  lang: string;
  kind: string;
  status: SubmissionStatus;
  verdict: string | null;
  score: number | null;
  maxScore: number | null;
  createdAt: string;
  finishedAt: string | null;
  /** Whether it counts: infra errors never do. */
  counts: boolean;
  /** An instructor's regrade of an earlier submission (same code and seed, current checks). */
  regradeOf: string | null;
}

export interface SubmissionDetail extends SubmissionSummary {
  seed: number;
  files: SubmittedFiles;
  result: GradeResult | null;
  message: string | null;
}

type Row = {
  id: string;
  labId: string;
  lang: string;
  kind: string;
  status: string;
  verdict: string | null;
  score: number | null;
  maxScore: number | null;
  createdAt: Date;
  finishedAt: Date | null;
  regradeOfId: string | null;
};

function asStatus(value: string): SubmissionStatus {
  return value === "running" || value === "done" || value === "error" ? value : "queued";
}

export function toSummary(row: Row): SubmissionSummary {
  return {
    id: row.id,
    labId: row.labId,
    lang: row.lang,
    kind: row.kind,
    status: asStatus(row.status),
    verdict: row.verdict,
    score: row.score,
    maxScore: row.maxScore,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    counts: row.verdict !== "infra-error",
    regradeOf: row.regradeOfId,
  };
}

const summaryFields = {
  id: true,
  labId: true,
  lang: true,
  kind: true,
  status: true,
  verdict: true,
  score: true,
  maxScore: true,
  createdAt: true,
  finishedAt: true,
  regradeOfId: true,
} as const;

/** Runs listed per page of the history. */
export const HISTORY_PAGE_SIZE = 50;

export interface HistoryPage {
  /** Newest first. */
  submissions: SubmissionSummary[];
  /** Whether older ones exist (ask again with `before` = the last id). */
  more: boolean;
}

/**
 * One page of this learner's submissions of a lab, newest first: the newest, or those older than the
 * submission `before` (one of theirs in this lab, else 404). Ordered by (createdAt, id), so two runs
 * created in the same millisecond are neither skipped nor listed twice across pages.
 */
export async function submissionHistory(
  db: Db,
  userId: string,
  labId: string,
  options: { before?: string; take?: number } = {},
): Promise<HistoryPage> {
  const take = options.take ?? HISTORY_PAGE_SIZE;
  let older = {};
  if (options.before) {
    const anchor = await db.submission.findFirst({
      where: { id: options.before, userId, labId },
      select: { id: true, createdAt: true },
    });
    if (!anchor) throw new HttpError(404, "NOT_FOUND", "There is no such submission.");
    older = {
      OR: [{ createdAt: { lt: anchor.createdAt } }, { createdAt: anchor.createdAt, id: { lt: anchor.id } }],
    };
  }
  const rows = await db.submission.findMany({
    where: { userId, labId, ...older },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: summaryFields,
  });
  return { submissions: rows.slice(0, take).map(toSummary), more: rows.length > take };
}

/** The owner's submission, or 404 (also for someone else's id). */
export async function ownSubmission(db: Db, userId: string, id: string) {
  const row = await db.submission.findFirst({ where: { id, userId } });
  if (!row) throw new HttpError(404, "NOT_FOUND", "There is no such submission.");
  return row;
}

export async function submissionDetail(db: Db, userId: string, id: string): Promise<SubmissionDetail> {
  const row = await ownSubmission(db, userId, id);
  let result: GradeResult | null = null;
  if (row.result) {
    const parsed = parseGradeResult(JSON.parse(row.result));
    if (parsed.ok) result = parsed.value;
    else log.error({ submissionId: id, error: parsed.error }, "submissions: stored result does not parse");
  }
  const message =
    result?.message ??
    (result
      ? defaultMessage(result)
      : row.verdict === "infra-error"
        ? defaultMessage({ verdict: "infra-error", score: 0, maxScore: 0 })
        : null);
  return {
    ...toSummary(row),
    seed: row.seed,
    files: parseStoredFiles(row.files),
    result,
    message,
  };
}

export async function eventsAfter(
  db: Db,
  submissionId: string,
  afterSeq: number,
  take = 500,
): Promise<StoredEvent[]> {
  const rows = await db.submissionEvent.findMany({
    where: { submissionId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take,
    select: { seq: true, data: true },
  });
  const events: StoredEvent[] = [];
  for (const row of rows) {
    try {
      events.push({ seq: row.seq, data: JSON.parse(row.data) as SubmissionEventData });
    } catch {
      log.error({ submissionId, seq: row.seq }, "submissions: stored event does not parse");
    }
  }
  return events;
}

/** 1-based place in the queue among submissions still waiting, or 0 when not waiting. */
export async function queuePosition(db: Db, submission: { id: string; status: string; createdAt: Date }) {
  if (submission.status !== "queued") return 0;
  const ahead = await db.submission.count({
    where: { status: "queued", createdAt: { lt: submission.createdAt } },
  });
  return ahead + 1;
}

/** Per lab, the best thing this learner has done: passed (a submit), attempted, or nothing. */
export type LabStatus = "passed" | "attempted" | "not-started";

export async function labStatuses(db: Db, userId: string): Promise<Map<string, LabStatus>> {
  const [passed, attempted] = await Promise.all([
    db.submission.findMany({
      where: { userId, kind: "submit", status: "done", verdict: "passed" },
      select: { labId: true },
      distinct: ["labId"],
    }),
    db.submission.findMany({ where: { userId }, select: { labId: true }, distinct: ["labId"] }),
  ]);
  const statuses = new Map<string, LabStatus>();
  for (const row of attempted) statuses.set(row.labId, "attempted");
  for (const row of passed) statuses.set(row.labId, "passed");
  return statuses;
}

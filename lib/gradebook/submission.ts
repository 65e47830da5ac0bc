import "server-only";
// One submission as an instructor sees it: the code that was graded, the parsed result (checks,
// trace, stderr) and its regrade family (the original and every regrade of it).
import { z } from "zod";
import { type GradeResult, parseGradeResult } from "../../conformance/result.ts";
import type { Db } from "../db/client.ts";

const filesSchema = z.record(z.string(), z.string());

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseFiles(text: string): Parsed<Record<string, string>> {
  try {
    const parsed = filesSchema.safeParse(JSON.parse(text));
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, error: "the stored code snapshot is not a map of file paths to contents" };
  } catch {
    return { ok: false, error: "the stored code snapshot is not valid JSON" };
  }
}

/** The stored result through the result format's own schema; null while it is not graded. */
export function parseStoredResult(text: string | null): Parsed<GradeResult> | null {
  if (text === null) return null;
  try {
    return parseGradeResult(JSON.parse(text));
  } catch {
    return { ok: false, error: "the stored result is not valid JSON" };
  }
}

const summary = {
  id: true,
  status: true,
  verdict: true,
  score: true,
  maxScore: true,
  createdAt: true,
  finishedAt: true,
  regradeOfId: true,
  regradeBatchId: true,
} as const;

export async function submissionDetail(db: Db, id: string) {
  const submission = await db.submission.findUnique({
    where: { id },
    include: { user: { select: { id: true, name: true, email: true } } },
  });
  if (!submission) return null;
  const originalId = submission.regradeOfId ?? submission.id;
  const family = await db.submission.findMany({
    where: { OR: [{ id: originalId }, { regradeOfId: originalId }] },
    select: summary,
    orderBy: { createdAt: "asc" },
  });
  return {
    ...submission,
    files: parseFiles(submission.files),
    result: parseStoredResult(submission.result),
    originalId,
    /** The original first, then its regrades, oldest first. */
    family,
  };
}

export type SubmissionDetail = NonNullable<Awaited<ReturnType<typeof submissionDetail>>>;

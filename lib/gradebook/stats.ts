import "server-only";
// Per-lab statistics for instructors: how many learners pass, how many submissions it takes them, and
// which checks fail most. Computed from learners' submitted work (Submit, not practice runs); each
// submission counts with its newest graded result, so after a regrade the figures follow the new checks.
import type { CheckResult } from "../../conformance/result.ts";
import type { Db } from "../db/client.ts";
import { parseStoredResult } from "./submission.ts";

export interface FailingCheck {
  id: string;
  title: string;
  severity: "must" | "should";
  /** Graded submissions in which this check failed or errored. */
  failures: number;
  /** Graded submissions in which this check ran at all (skipped counts as not run). */
  runs: number;
}

export interface LabStatistics {
  labId: string;
  /** Learners with at least one graded submission. */
  learnersAttempted: number;
  learnersPassed: number;
  /** learnersPassed / learnersAttempted, null when nobody attempted. */
  passRate: number | null;
  /** Submissions learners made (regrades and infra errors excluded). */
  submissions: number;
  /** For each learner who passed: the number of their submission that first passed. */
  attemptsToPass: { median: number | null; mean: number | null; max: number | null };
  verdicts: Record<string, number>;
  /** Most failing first. */
  failingChecks: FailingCheck[];
  /** Stored results that did not parse with the result schema (shown, never silently dropped). */
  unreadableResults: number;
}

/** A submission as the figures need it; the stored result is read separately (see labStatistics). */
interface Row {
  id: string;
  userId: string;
  status: string;
  verdict: string | null;
  regradeOfId: string | null;
  createdAt: Date;
}

/** What the figures take from a stored result: its checks, or that it did not parse. */
export type CheckOutcomes = Array<Pick<CheckResult, "id" | "title" | "severity" | "status">> | "unreadable";

const graded = (row: Row) => row.status === "done" && row.verdict !== null && row.verdict !== "infra-error";

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Submissions that count (not regrades, not infra errors), oldest first, each with its newest graded run. */
function countedSubmissions(rows: Row[]): Array<{ original: Row; latest: Row | null; runs: Row[] }> {
  const regradesOf = new Map<string, Row[]>();
  for (const row of rows)
    if (row.regradeOfId !== null)
      regradesOf.set(row.regradeOfId, [...(regradesOf.get(row.regradeOfId) ?? []), row]);
  return rows
    .filter((row) => row.regradeOfId === null)
    .filter((row) => row.status !== "error" && row.verdict !== "infra-error")
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((original) => {
      const runs = [original, ...(regradesOf.get(original.id) ?? [])];
      // The newest graded run of a submission: its latest finished regrade, else itself.
      const latest =
        runs.filter(graded).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ?? null;
      return { original, latest, runs };
    });
}

/** Pure: the figures from the rows (originals and regrades of one lab) and the checks of their newest runs. */
export function computeLabStatistics(
  labId: string,
  rows: Row[],
  outcomes: ReadonlyMap<string, CheckOutcomes>,
): LabStatistics {
  const attemptsByLearner = new Map<string, Array<{ latest: Row | null; passedEver: boolean }>>();
  const verdicts: Record<string, number> = {};
  const checks = new Map<string, FailingCheck>();
  let unreadableResults = 0;
  let submissions = 0;
  for (const { original, latest, runs } of countedSubmissions(rows)) {
    submissions += 1;
    const passedEver = runs.some((row) => graded(row) && row.verdict === "passed");
    attemptsByLearner.set(original.userId, [
      ...(attemptsByLearner.get(original.userId) ?? []),
      { latest, passedEver },
    ]);
    if (!latest) continue;
    verdicts[latest.verdict ?? "unknown"] = (verdicts[latest.verdict ?? "unknown"] ?? 0) + 1;
    const outcome = outcomes.get(latest.id);
    if (outcome === undefined) continue;
    if (outcome === "unreadable") {
      unreadableResults += 1;
      continue;
    }
    for (const check of outcome) {
      if (check.status === "skipped") continue;
      const entry = checks.get(check.id) ?? {
        id: check.id,
        title: check.title,
        severity: check.severity,
        failures: 0,
        runs: 0,
      };
      entry.runs += 1;
      if (check.status === "fail" || check.status === "error") entry.failures += 1;
      checks.set(check.id, entry);
    }
  }
  let learnersAttempted = 0;
  const toPass: number[] = [];
  for (const attempts of attemptsByLearner.values()) {
    if (!attempts.some((attempt) => attempt.latest)) continue;
    learnersAttempted += 1;
    const first = attempts.findIndex((attempt) => attempt.passedEver);
    if (first >= 0) toPass.push(first + 1);
  }
  return {
    labId,
    learnersAttempted,
    learnersPassed: toPass.length,
    passRate: learnersAttempted ? toPass.length / learnersAttempted : null,
    submissions,
    attemptsToPass: {
      median: median(toPass),
      mean: toPass.length ? toPass.reduce((sum, n) => sum + n, 0) / toPass.length : null,
      max: toPass.length ? Math.max(...toPass) : null,
    },
    verdicts,
    failingChecks: [...checks.values()]
      .filter((check) => check.failures > 0)
      .sort(
        (a, b) =>
          b.failures - a.failures || b.failures / b.runs - a.failures / a.runs || a.id.localeCompare(b.id),
      ),
    unreadableResults,
  };
}

/**
 * Stored results are read this many at a time, and only the newest run of each counted submission,
 * so memory stays bounded by the batch (a result holds a trace and stderr, up to a few hundred KB),
 * not by the number of submissions.
 */
export const RESULT_BATCH = 50;

export async function labStatistics(db: Db, labId: string): Promise<LabStatistics> {
  const rows = await db.submission.findMany({
    where: { labId, kind: "submit", user: { role: "learner" } },
    select: { id: true, userId: true, status: true, verdict: true, regradeOfId: true, createdAt: true },
  });
  const wanted = countedSubmissions(rows).flatMap(({ latest }) => (latest ? [latest.id] : []));
  const outcomes = new Map<string, CheckOutcomes>();
  for (let from = 0; from < wanted.length; from += RESULT_BATCH) {
    const batch = await db.submission.findMany({
      where: { id: { in: wanted.slice(from, from + RESULT_BATCH) } },
      select: { id: true, result: true },
    });
    for (const row of batch) {
      const result = parseStoredResult(row.result);
      if (!result) continue;
      outcomes.set(
        row.id,
        result.ok
          ? result.value.checks.map(({ id, title, severity, status }) => ({ id, title, severity, status }))
          : "unreadable",
      );
    }
  }
  return computeLabStatistics(labId, rows, outcomes);
}

import "server-only";
// Per-lab statistics for instructors: how many learners pass, how many submissions it takes them, and
// which checks fail most. Computed from learners' submitted work (Submit, not practice runs); each
// submission counts with its newest graded result, so after a regrade the figures follow the new checks.
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

interface Row {
  id: string;
  userId: string;
  status: string;
  verdict: string | null;
  result: string | null;
  regradeOfId: string | null;
  createdAt: Date;
}

const graded = (row: Row) => row.status === "done" && row.verdict !== null && row.verdict !== "infra-error";

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Pure: the figures from the rows (originals and regrades of one lab). */
export function computeLabStatistics(labId: string, rows: Row[]): LabStatistics {
  const originals = rows
    .filter((row) => row.regradeOfId === null)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const regradesOf = new Map<string, Row[]>();
  for (const row of rows)
    if (row.regradeOfId !== null)
      regradesOf.set(row.regradeOfId, [...(regradesOf.get(row.regradeOfId) ?? []), row]);
  /** The newest graded run of a submission: its latest finished regrade, else itself. */
  const current = (original: Row): Row | null => {
    const runs = [original, ...(regradesOf.get(original.id) ?? [])].filter(graded);
    return runs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ?? null;
  };
  const passedEver = (original: Row) =>
    [original, ...(regradesOf.get(original.id) ?? [])].some((row) => graded(row) && row.verdict === "passed");

  const attemptsByLearner = new Map<string, Row[]>();
  const verdicts: Record<string, number> = {};
  const checks = new Map<string, FailingCheck>();
  let unreadableResults = 0;
  let submissions = 0;
  for (const original of originals) {
    if (original.status === "error" || original.verdict === "infra-error") continue;
    submissions += 1;
    attemptsByLearner.set(original.userId, [...(attemptsByLearner.get(original.userId) ?? []), original]);
    const latest = current(original);
    if (!latest) continue;
    verdicts[latest.verdict ?? "unknown"] = (verdicts[latest.verdict ?? "unknown"] ?? 0) + 1;
    const result = parseStoredResult(latest.result);
    if (!result) continue;
    if (!result.ok) {
      unreadableResults += 1;
      continue;
    }
    for (const check of result.value.checks) {
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
    if (!attempts.some((row) => current(row))) continue;
    learnersAttempted += 1;
    const first = attempts.findIndex(passedEver);
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

export async function labStatistics(db: Db, labId: string): Promise<LabStatistics> {
  const rows = await db.submission.findMany({
    where: { labId, kind: "submit", user: { role: "learner" } },
    select: {
      id: true,
      userId: true,
      status: true,
      verdict: true,
      result: true,
      regradeOfId: true,
      createdAt: true,
    },
  });
  return computeLabStatistics(labId, rows);
}

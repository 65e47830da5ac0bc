// The readiness summary of a result (docs/grading.md, "Result format"): per-area counts and a 0-100
// score, from the areas checks carry. Types only from result.ts, so the web UI can import it too
// (it summarises a live run's checks before the stored result arrives).
import type { CheckResult, Readiness, ReadinessArea } from "./result.ts";

/** Where checks without an area go in a readiness summary. */
export const OTHER_AREA = "other";

/**
 * Per-area counts and the readiness score (documented in docs/grading.md), or undefined when no
 * check carries an area. Areas keep the order in which their first check ran.
 */
export function readiness(results: CheckResult[]): Readiness | undefined {
  if (!results.some((r) => r.area)) return undefined;
  const areas = new Map<string, ReadinessArea>();
  for (const r of results) {
    const area = r.area ?? OTHER_AREA;
    const a = areas.get(area) ?? { area, passed: 0, failed: 0, skipped: 0, total: 0 };
    a.total += 1;
    if (r.status === "pass") a.passed += 1;
    else if (r.status === "skipped") a.skipped += 1;
    else a.failed += 1;
    areas.set(area, a);
  }
  const list = [...areas.values()];
  const mean = list.reduce((sum, a) => sum + a.passed / a.total, 0) / list.length;
  // Rounded down: 100 means every check passed.
  return { score: Math.floor(mean * 100 + 1e-9), areas: list };
}

// A whole GradeResult for tests that store or show one: a passing hello-server run, with the fields a
// test cares about given as overrides.
import type { GradeResult } from "../../conformance/result.ts";

export function gradeResultWith(overrides: Partial<GradeResult> = {}): GradeResult {
  return {
    version: 1,
    lab: "hello-server",
    lang: "python",
    seed: 1,
    status: "pass",
    verdict: "passed",
    message: "all good",
    score: 2,
    maxScore: 2,
    durationMs: 10,
    runtime: {},
    limits: null,
    checks: [],
    stderr: "",
    stderrTruncated: false,
    trace: [],
    traceTruncated: false,
    ...overrides,
  };
}

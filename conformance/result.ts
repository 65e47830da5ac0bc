// The grading result, version 1: one schema for the CLI, the worker, the API and the UI.
// Shape agreed in DESIGN.md ("Result format"); optional fields marked "addition" are
// backwards-compatible extensions documented in docs/grading.md.
import { z } from "zod";

export const RESULT_VERSION = 1;

export const CheckStatusSchema = z.enum(["pass", "fail", "error", "skipped"]);
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

export const SeveritySchema = z.enum(["must", "should"]);
export type Severity = z.infer<typeof SeveritySchema>;

export const ResultStatusSchema = z.enum(["pass", "fail", "error"]);
export type ResultStatus = z.infer<typeof ResultStatusSchema>;

/** Why a run ended, in words a learner can act on. */
export const VerdictSchema = z.enum([
  "passed", // every `must` check passed
  "checks-failed", // the server ran, some `must` check failed
  "did-not-start", // never answered `initialize` (or never listened, over HTTP)
  "crashed", // exited in the middle of the run
  "timeout", // wall or CPU time limit
  "memory-limit", // killed by the memory limit
  "output-limit", // wrote more than the output limit
  "bad-submission", // we refused the files before starting anything
  "infra-error", // we could not grade: retried, never counts as an attempt
]);
export type Verdict = z.infer<typeof VerdictSchema>;

export const CheckResultSchema = z.object({
  /** Stable kebab-case slug, e.g. "tools-list-input-schemas". */
  id: z.string().min(1),
  title: z.string(),
  severity: SeveritySchema,
  status: CheckStatusSchema,
  /** What happened, for the learner: always set, also on pass. */
  message: z.string(),
  hint: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  /** Addition: the request that the failure is about, e.g. `tools/call {"name":"add_note",...}`. */
  sent: z.string().optional(),
  /** Lesson slug, e.g. "m3/json-schema-inputs". */
  lesson: z.string().optional(),
  /** Spec section, e.g. "2025-11-25/server/tools#tool". */
  specRef: z.string().optional(),
  /**
   * Addition: the area of a readiness review the check belongs to (e.g. "security",
   * "resilience"), from the check's definition. A result whose checks carry areas has `readiness`.
   */
  area: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .optional(),
  durationMs: z.number().nonnegative(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** Addition: how one area of a readiness review went; `failed` counts fail and error. */
export const ReadinessAreaSchema = z.object({
  area: z.string(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type ReadinessArea = z.infer<typeof ReadinessAreaSchema>;

/**
 * Addition: a readiness summary, present when checks carry an `area`. `score` (0-100) is the mean
 * over the areas of each area's share of passed checks, rounded down: 100 only when every check
 * passed, and no area can hide behind a large one. Checks without an area count as "other".
 */
export const ReadinessSchema = z.object({
  score: z.number().int().min(0).max(100),
  areas: z.array(ReadinessAreaSchema),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

/** A JSON-RPC message as it crossed the wire; `t` is ms since the server process started. */
export const TraceMessageSchema = z.object({
  dir: z.enum(["c2s", "s2c"]),
  t: z.number().nonnegative(),
  msg: z.record(z.string(), z.unknown()),
});
/** Addition: a line the server wrote to stdout that is not JSON-RPC (the classic print() bug). */
export const TraceStdoutLineSchema = z.object({
  dir: z.literal("s2c"),
  t: z.number().nonnegative(),
  stdout: z.string(),
});
export const TraceEntrySchema = z.union([TraceMessageSchema, TraceStdoutLineSchema]);
export type TraceEntry = z.infer<typeof TraceEntrySchema>;

export const LimitsSchema = z.object({
  wallMs: z.number().int().positive(),
  memoryMb: z.number().int().positive(),
  pids: z.number().int().positive(),
  outputKb: z.number().int().positive(),
  cpuSeconds: z.number().int().positive().optional(),
  openFiles: z.number().int().positive().optional(),
  fileSizeKb: z.number().int().positive().optional(),
});
export type ResultLimits = z.infer<typeof LimitsSchema>;

export const GradeResultSchema = z.object({
  version: z.literal(RESULT_VERSION),
  /** Lab id; null for `check-server` runs, which grade no lab. */
  lab: z.string().nullable(),
  /** Submission language; null when unknown (check-server). */
  lang: z.enum(["python", "typescript"]).nullable(),
  seed: z.number().int().nonnegative(),
  /** pass iff every `must` check passed; error only when we could not grade. */
  status: ResultStatusSchema,
  verdict: VerdictSchema,
  /**
   * Addition: the verdict in a sentence a learner can act on, e.g. "Your server never answered
   * initialize within 10 s. Last lines of its stderr: ...". Always set.
   */
  message: z.string().optional(),
  /** Checks with status "pass" (must and should alike). */
  score: z.number().int().nonnegative(),
  /** Every check listed in `checks`, whatever its status. */
  maxScore: z.number().int().nonnegative(),
  /** Addition: per-area results and a 0-100 readiness score, when the checks carry areas. */
  readiness: ReadinessSchema.optional(),
  /**
   * Addition: a short hash (12 hex) of what graded this run: the lab's lab.yaml and its checks.ts (or
   * mutants.ts) with every lab-local module they import. Two results with different hashes were graded
   * by different checks. Absent for check-server runs and refusals before the lab was loaded.
   */
  checksHash: z
    .string()
    .regex(/^[0-9a-f]{12}$/)
    .optional(),
  durationMs: z.number().nonnegative(),
  /** Exact versions that graded it: e.g. python, mcp, node, sdk, and the negotiated protocolVersion. */
  runtime: z.record(z.string(), z.string()),
  /** Limits the server ran under; null when it was not sandboxed (check-server). */
  limits: LimitsSchema.nullable(),
  checks: z.array(CheckResultSchema),
  /** The server's stderr, capped at limits.outputKb. */
  stderr: z.string(),
  stderrTruncated: z.boolean(),
  trace: z.array(TraceEntrySchema),
  traceTruncated: z.boolean(),
});
export type GradeResult = z.infer<typeof GradeResultSchema>;

/** Parse, don't check: for readers of stored or streamed results. */
export function parseGradeResult(
  value: unknown,
): { ok: true; value: GradeResult } | { ok: false; error: string } {
  const parsed = GradeResultSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues.map((i) => `${i.path.join(".") || "result"}: ${i.message}`).join("; "),
  };
}

/** `status` follows from the verdict; one place decides it. */
export function statusForVerdict(verdict: Verdict): ResultStatus {
  if (verdict === "passed") return "pass";
  if (verdict === "bad-submission" || verdict === "infra-error") return "error";
  return "fail";
}

/** CLI exit code for a status: 0 pass, 1 fail, 2 error. */
export function exitCodeForStatus(status: ResultStatus): 0 | 1 | 2 {
  return status === "pass" ? 0 : status === "fail" ? 1 : 2;
}

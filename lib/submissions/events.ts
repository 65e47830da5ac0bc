// The events of a grading run as stored (SubmissionEvent rows) and streamed (SSE): a small, stable
// vocabulary derived from the engine's GradeEvent, numbered per submission by `seq`.
import type { PlannedCheck } from "../../conformance/events.ts";
import type { CheckResult, ResultStatus, TraceEntry, Verdict } from "../../conformance/result.ts";

export type GradePhase = "validating" | "starting-server" | "connecting" | "running-checks" | "stopping";

export type SubmissionEventData =
  /** A worker took the job; attempt > 1 means an earlier attempt was lost and the view restarts. */
  | { type: "attempt"; attempt: number }
  | { type: "started"; seed: number; checks: PlannedCheck[] }
  | { type: "phase"; phase: GradePhase }
  | { type: "check-started"; id: string; title: string; index: number; total: number }
  | { type: "check-finished"; index: number; total: number; result: CheckResult }
  | { type: "log"; message: string }
  | { type: "stderr"; chunk: string }
  | { type: "trace"; entries: TraceEntry[] }
  /** Live output past what we keep for the live view; the final result has the capped record. */
  | { type: "output-truncated"; what: "stderr" | "trace" }
  /** We could not grade this time (our fault); it is tried again and does not count. */
  | { type: "retrying"; message: string }
  | {
      type: "finished";
      status: ResultStatus;
      verdict: Verdict;
      score: number;
      maxScore: number;
      message: string;
    };

export type SubmissionEventType = SubmissionEventData["type"];

export interface StoredEvent {
  seq: number;
  data: SubmissionEventData;
}

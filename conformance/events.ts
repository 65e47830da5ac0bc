// Progress events of a grading run, streamed to the CLI transcript and the web worker (SSE).
import type { CheckResult, GradeResult, Severity, TraceEntry } from "./result.ts";

export interface PlannedCheck {
  id: string;
  title: string;
  severity: Severity;
}

/** Where a run spends its time (ms since launch), for bench/ and logs. Not part of the result. */
export interface GradeTimings {
  /** launchServer() until it returned a running process. */
  launchMs: number;
  /** Launch until the first byte on stdout (stdio) or the first HTTP answer; null if none. */
  firstByteMs: number | null;
  /** Launch until the answer to initialize; null if none. */
  initializeMs: number | null;
  /** Running the checks. */
  checksMs: number;
  /** Stopping the server and cleaning up. */
  stopMs: number;
  totalMs: number;
}

export type GradePhase = "validating" | "starting-server" | "connecting" | "running-checks" | "stopping";

export type GradeEvent =
  | {
      type: "started";
      lab: string | null;
      lang: "python" | "typescript" | null;
      seed: number;
      checks: PlannedCheck[];
    }
  | { type: "phase"; phase: GradePhase }
  | { type: "check-started"; id: string; title: string; index: number; total: number }
  | { type: "check-finished"; index: number; total: number; result: CheckResult }
  /** A `[grader]` transcript line. */
  | { type: "log"; message: string }
  /** A chunk of the server's stderr, live; `source: "tests"` is a test-suite lab's runner output. */
  | { type: "stderr"; chunk: string; source?: "server" | "tests" }
  /** A JSON-RPC message or a stray stdout line, live. */
  | { type: "trace"; entry: TraceEntry }
  | { type: "finished"; result: GradeResult; timings: GradeTimings };

export type GradeEventListener = (event: GradeEvent) => void;

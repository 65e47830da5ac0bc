// The lab page's view of one grading run, folded from its event stream (SSE). A pure reducer, so the
// browser and the tests share it: queue position and state, each check as it finishes, the live
// trace and stderr, and the final score.
import type { PlannedCheck } from "../../conformance/events.ts";
import type { CheckResult, TraceEntry } from "../../conformance/result.ts";
import type { GradePhase, SubmissionEventData } from "./events.ts";
import type { LiveEventData } from "./sse.ts";

export type StreamEvent = SubmissionEventData | LiveEventData;

export interface LiveRun {
  submissionId: string;
  state: "connecting" | "queued" | "running" | "finished";
  position: number;
  attempt: number;
  phase: GradePhase | null;
  planned: PlannedCheck[];
  current: { index: number; total: number; title: string } | null;
  /** By check index among the checks that apply; null until the check finished. */
  checks: Array<CheckResult | null>;
  trace: TraceEntry[];
  stderr: string;
  stderrTruncated: boolean;
  traceTruncated: boolean;
  retrying: string | null;
  finished: Extract<SubmissionEventData, { type: "finished" }> | null;
  lastSeq: number;
}

export const LIVE_TRACE_CAP = 2000;
export const LIVE_STDERR_CAP = 300 * 1024;

export function newLiveRun(submissionId: string): LiveRun {
  return {
    submissionId,
    state: "connecting",
    position: 0,
    attempt: 1,
    phase: null,
    planned: [],
    current: null,
    checks: [],
    trace: [],
    stderr: "",
    stderrTruncated: false,
    traceTruncated: false,
    retrying: null,
    finished: null,
    lastSeq: 0,
  };
}

export function reduceRun(run: LiveRun, event: StreamEvent, seq?: number): LiveRun {
  if (seq !== undefined && seq <= run.lastSeq) return run; // a replayed event we already have
  const next: LiveRun = { ...run, lastSeq: seq ?? run.lastSeq };
  switch (event.type) {
    case "queue":
      if (run.state === "finished") return run;
      return { ...next, position: event.position, state: event.status === "running" ? "running" : "queued" };
    case "attempt":
      if (event.attempt <= 1) return { ...next, attempt: event.attempt, state: "running" };
      // An earlier attempt was lost: its partial view is dropped, the retry starts over.
      return {
        ...newLiveRun(run.submissionId),
        lastSeq: next.lastSeq,
        attempt: event.attempt,
        state: "running",
      };
    case "started":
      return {
        ...next,
        state: "running",
        planned: event.checks,
        checks: event.checks.map(() => null),
        retrying: null,
      };
    case "phase":
      return { ...next, state: "running", phase: event.phase };
    case "check-started":
      return { ...next, current: { index: event.index, total: event.total, title: event.title } };
    case "check-finished": {
      const checks = [...next.checks];
      while (checks.length < event.total) checks.push(null);
      checks[event.index] = event.result;
      return { ...next, checks, current: null };
    }
    case "trace": {
      const room = LIVE_TRACE_CAP - next.trace.length;
      if (room <= 0) return { ...next, traceTruncated: true };
      return {
        ...next,
        trace: [...next.trace, ...event.entries.slice(0, room)],
        traceTruncated: next.traceTruncated || event.entries.length > room,
      };
    }
    case "stderr": {
      const stderr = next.stderr + event.chunk;
      return stderr.length > LIVE_STDERR_CAP
        ? { ...next, stderr: stderr.slice(0, LIVE_STDERR_CAP), stderrTruncated: true }
        : { ...next, stderr };
    }
    case "output-truncated":
      return event.what === "stderr" ? { ...next, stderrTruncated: true } : { ...next, traceTruncated: true };
    case "log":
      return next;
    case "retrying":
      return {
        ...newLiveRun(run.submissionId),
        lastSeq: next.lastSeq,
        state: "queued",
        retrying: event.message,
      };
    case "finished":
      return { ...next, state: "finished", finished: event, current: null };
  }
}

const PHASES: Record<GradePhase, string> = {
  validating: "Checking your files",
  "starting-server": "Starting your server",
  connecting: "Connecting to your server",
  "running-checks": "Running checks",
  stopping: "Stopping your server",
};

/** One line for the queue/progress indicator: "Queued (position 2)", "Running check 3/8: ...". */
export function describeProgress(run: LiveRun): string {
  if (run.state === "finished") return "Finished";
  if (run.state === "connecting") return "Connecting…";
  if (run.state === "queued")
    return `${run.retrying ? "Retrying after a grader error. " : ""}Queued${run.position > 0 ? ` (position ${run.position})` : ""}`;
  if (run.current) return `Running check ${run.current.index + 1}/${run.current.total}: ${run.current.title}`;
  if (run.phase) return PHASES[run.phase];
  return "Starting";
}

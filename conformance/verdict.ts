// From what happened in a session to the result's verdict, status, score and message.
import type { ExitInfo, SandboxLimits } from "../sandbox/index.ts";
import type { ConnectFailure } from "./harness/connect.ts";
import { type CheckResult, statusForVerdict, type Verdict } from "./result.ts";

export interface VerdictInput {
  results: CheckResult[];
  connectFailure?: ConnectFailure;
  exit: ExitInfo | undefined;
  exitedEarly: boolean;
  goneDuring: string | null;
  limits: SandboxLimits | null;
  stderr: string;
  /** False for a bare URL (check-server --url): no stderr to quote. */
  hasProcess?: boolean;
  stdoutNoise: { text: string }[];
  startTimeoutMs: number;
}

export interface VerdictOutput {
  verdict: Verdict;
  message: string;
}

const STDERR_TAIL_LINES = 15;

export function stderrTail(stderr: string, lines = STDERR_TAIL_LINES): string {
  const all = stderr.trimEnd().split("\n");
  const tail = all.slice(-lines).join("\n");
  return all.length > lines ? `…\n${tail}` : tail;
}

function withStderr(message: string, stderr: string | null): string {
  if (stderr === null) return message;
  return stderr.trim()
    ? `${message}\nLast lines of its stderr:\n${stderrTail(stderr)}`
    : `${message} It wrote nothing to stderr.`;
}

function limitVerdict(exit: ExitInfo | undefined, limits: SandboxLimits | null): VerdictOutput | null {
  if (!exit) return null;
  switch (exit.reason) {
    case "memory-limit":
      return {
        verdict: "memory-limit",
        message: `Your server used more than the ${limits?.memoryMb ?? "?"} MB memory limit and was stopped.`,
      };
    case "timeout":
      return {
        verdict: "timeout",
        message: `The run hit its time limit (${limits ? `${limits.wallMs / 1000} s wall time or ${limits.cpuSeconds} s of CPU` : "wall time"}) and was stopped.`,
      };
    case "output-limit":
      return {
        verdict: "output-limit",
        message: `Your server wrote more than ${limits?.outputKb ?? "?"} KB to stdout and stderr; the run was cut there (output truncated at ${limits?.outputKb ?? "?"} KB).`,
      };
    case "pids-limit":
      return {
        verdict: "crashed",
        message: `Your server tried to start more than ${limits?.pids ?? "?"} processes or threads and was stopped.`,
      };
    default:
      return null;
  }
}

/** Above this share of its wall time on the CPU, a silent server was computing, not waiting (a spinning
 * loop gets 1/3 of a core or more even on a loaded 2-core host; a sleeping one uses well under 5 %). */
const SPINNING_SHARE = 0.25;

const cpuSeconds = (ms: number) => (ms < 100 ? "under 0.1 s" : `${(ms / 1000).toFixed(1)} s`);

const SILENT_ADVICE =
  "check that it reads stdin (stdio) / listens on $PORT (HTTP), and that nothing blocks before the server starts.";

/**
 * Advice for a server that ran but never answered, from its tree's CPU time (cpuacct, measured by
 * the sandbox): spinning (an endless loop, heavy work at start) or waiting.
 */
function silentAdvice(exit: ExitInfo | undefined): string {
  if (exit?.cpuMs === undefined || exit.durationMs <= 0)
    return ` It was running but silent: ${SILENT_ADVICE}`;
  const used = `It used ${cpuSeconds(exit.cpuMs)} of CPU time in ${(exit.durationMs / 1000).toFixed(1)} s`;
  return exit.cpuMs >= SPINNING_SHARE * exit.durationMs
    ? ` ${used}: it was busy computing instead of answering. Look for an endless loop, or slow work done before the server starts reading requests.`
    : ` ${used}: it was running but waiting, not computing (a sleep, a lock, a read of something that never comes?): ${SILENT_ADVICE}`;
}

const exitWords = (exit: ExitInfo) =>
  exit.reason === "exited" ? `exited with code ${exit.code}` : `was killed by signal ${exit.signal ?? "?"}`;

export function decideVerdict(input: VerdictInput): VerdictOutput {
  const base = decideBase(input);
  if (input.stdoutNoise.length && base.verdict !== "bad-submission" && base.verdict !== "infra-error") {
    const first = input.stdoutNoise[0].text;
    base.message += `\nNote: your server wrote ${input.stdoutNoise.length} line${input.stdoutNoise.length === 1 ? "" : "s"} to stdout that ${input.stdoutNoise.length === 1 ? "is" : "are"} not JSON-RPC (first: ${JSON.stringify(first.slice(0, 120))}). On stdio, stdout carries only protocol messages: log to stderr.`;
  }
  return base;
}

function decideBase(input: VerdictInput): VerdictOutput {
  const { results, connectFailure, exit, limits } = input;
  const stderr = input.hasProcess === false ? null : input.stderr;
  if (connectFailure) {
    const byLimit = limitVerdict(exit, limits);
    if (byLimit)
      return {
        ...byLimit,
        message: withStderr(`${byLimit.message} It never answered initialize.`, stderr),
      };
    if (
      connectFailure.kind === "invalid" ||
      connectFailure.kind === "rejected" ||
      connectFailure.kind === "unsupported-version"
    ) {
      return { verdict: "checks-failed", message: connectFailure.message };
    }
    if (connectFailure.kind === "exited") {
      return {
        verdict: "did-not-start",
        message: withStderr(
          `Your server ${exitWords(connectFailure.exit)} before it answered initialize.`,
          stderr,
        ),
      };
    }
    const advice = connectFailure.timedOut ? silentAdvice(exit) : "";
    return {
      verdict: "did-not-start",
      message: withStderr(`${connectFailure.message}${advice}`, stderr),
    };
  }
  if (input.exitedEarly && exit) {
    const byLimit = limitVerdict(exit, limits);
    const during = input.goneDuring ? ` during check ${input.goneDuring}` : "";
    if (byLimit)
      return {
        ...byLimit,
        message: withStderr(`${byLimit.message.replace(/\.$/, "")}${during}.`, stderr),
      };
    return {
      verdict: "crashed",
      message: withStderr(
        `Your server ${exitWords(exit)}${during}; the checks after it were skipped.`,
        stderr,
      ),
    };
  }
  const errors = results.filter((r) => r.status === "error");
  if (errors.length) {
    return {
      verdict: "infra-error",
      message: `The grader failed in ${errors.map((r) => r.id).join(", ")} (our bug, not yours). The run will be retried and does not count as an attempt.`,
    };
  }
  const must = results.filter((r) => r.severity === "must");
  const failedMust = must.filter((r) => r.status !== "pass");
  const warnings = results.filter((r) => r.severity === "should" && r.status === "fail");
  const warn = warnings.length
    ? ` ${warnings.length} warning${warnings.length === 1 ? "" : "s"} (should): ${warnings.map((r) => r.id).join(", ")}.`
    : "";
  if (failedMust.length) {
    const failed = failedMust.filter((r) => r.status === "fail");
    const skipped = failedMust.length - failed.length;
    return {
      verdict: "checks-failed",
      message: `${failed.length} of ${must.length} required checks failed: ${failed.map((r) => r.id).join(", ")}${skipped ? ` (${skipped} skipped because of them)` : ""}.${warn}`,
    };
  }
  return { verdict: "passed", message: `All ${must.length} required checks passed.${warn}` };
}

/** Score: checks that passed; maxScore: every check in the result (documented in docs/grading.md). */
export function score(results: CheckResult[]): { score: number; maxScore: number } {
  return { score: results.filter((r) => r.status === "pass").length, maxScore: results.length };
}

export { statusForVerdict };

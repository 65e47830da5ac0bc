// One run of a learner's test suite, as the grader understands it: the runner's report line
// (written by sandbox/runtime/test-runner/*, parsed here) plus how the sandbox says the run ended,
// turned into an outcome and into sentences a learner can act on.
import { z } from "zod";
import type { ExitInfo, SandboxLimits } from "../sandbox/index.ts";

export const TEST_REPORT_PREFIX = "MCP-LAB-TEST-REPORT ";

export const TestReportSchema = z.object({
  runner: z.string(),
  exitCode: z.number().int(),
  tests: z.array(
    z.object({
      name: z.string(),
      status: z.enum(["passed", "failed", "skipped"]),
      message: z.string().optional(),
    }),
  ),
  errors: z.array(z.object({ where: z.string(), message: z.string() })),
  deleted: z.array(z.string()),
});
export type TestReport = z.infer<typeof TestReportSchema>;

/** The last report line on stdout, and whatever else reached stdout (shown with the suite's output). */
export function parseRunnerStdout(stdout: string): { report: TestReport | null; other: string } {
  const lines = stdout.split("\n");
  let report: TestReport | null = null;
  const other: string[] = [];
  for (const line of lines) {
    if (!line.startsWith(TEST_REPORT_PREFIX)) {
      if (line.trim()) other.push(line);
      continue;
    }
    try {
      const parsed = TestReportSchema.safeParse(JSON.parse(line.slice(TEST_REPORT_PREFIX.length)));
      if (parsed.success) report = parsed.data;
      else other.push(line);
    } catch {
      other.push(line);
    }
  }
  return { report, other: other.join("\n") };
}

export interface Failure {
  name: string;
  message: string;
}

/** How one run of the suite ended. */
export type SuiteOutcome =
  | { kind: "passed"; passed: number; skipped: number }
  /** At least one test failed (collection errors may come with it). */
  | { kind: "failed"; failures: Failure[]; total: number; errors: Failure[] }
  /** The suite could not run: collection errors (a syntax error, an import that fails), no test failed. */
  | { kind: "broken"; errors: Failure[] }
  | { kind: "no-tests"; skipped: number }
  | { kind: "timeout"; cpu: boolean }
  | { kind: "memory-limit" | "output-limit" | "pids-limit" }
  /** Died of a signal, or ended without a report (e.g. the suite called os._exit). */
  | { kind: "crashed"; detail: string };

export interface ClassifiedRun {
  outcome: SuiteOutcome;
  /** Files of the submission the suite deleted during this run. */
  deleted: string[];
}

export function classifyRun(exit: ExitInfo, report: TestReport | null, limits: SandboxLimits): ClassifiedRun {
  const deleted = report?.deleted ?? [];
  switch (exit.reason) {
    case "timeout":
      return { outcome: { kind: "timeout", cpu: exit.durationMs < limits.wallMs }, deleted };
    case "memory-limit":
    case "output-limit":
    case "pids-limit":
      return { outcome: { kind: exit.reason }, deleted };
    case "signal":
      return { outcome: { kind: "crashed", detail: `the test runner died of ${exit.signal}` }, deleted };
    case "killed-by-grader":
      return { outcome: { kind: "crashed", detail: "the run was stopped by the grader" }, deleted };
    case "exited":
      break;
  }
  if (!report) {
    return {
      outcome: {
        kind: "crashed",
        detail: `the test runner ended (exit code ${exit.code}) without reporting its results; does the suite exit the process itself?`,
      },
      deleted,
    };
  }
  const failures = report.tests
    .filter((t) => t.status === "failed")
    .map((t) => ({ name: t.name, message: t.message ?? "failed" }));
  const errors = report.errors.map((e) => ({ name: e.where, message: e.message }));
  if (failures.length)
    return { outcome: { kind: "failed", failures, total: report.tests.length, errors }, deleted };
  if (errors.length) return { outcome: { kind: "broken", errors }, deleted };
  const passed = report.tests.filter((t) => t.status === "passed").length;
  const skipped = report.tests.length - passed;
  // 5 is "no tests collected" for both runners; anything else non-zero went wrong outside the tests
  // (pytest: 3 internal error, 4 usage error, e.g. an addopts of the learner's).
  if (exit.code !== 0 && exit.code !== 5) {
    const message = `the test runner exited with code ${exit.code} although no test failed (see the run's output)`;
    return { outcome: { kind: "broken", errors: [{ name: report.runner, message }] }, deleted };
  }
  if (passed === 0) return { outcome: { kind: "no-tests", skipped }, deleted };
  return { outcome: { kind: "passed", passed, skipped }, deleted };
}

/** True when the suite flagged the server (a CI job would be red with a message to read). */
export function flagged(outcome: SuiteOutcome): boolean {
  return outcome.kind === "failed" || outcome.kind === "broken";
}

const MAX_LISTED = 5;
const MAX_MESSAGE = 240;

function clip(text: string, max = MAX_MESSAGE): string {
  const oneLine = text.trim().split("\n").slice(0, 3).join(" ⏎ ");
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

function list(items: Failure[]): string {
  const shown = items.slice(0, MAX_LISTED).map((f) => `  • ${f.name}: ${clip(f.message)}`);
  if (items.length > MAX_LISTED) shown.push(`  … and ${items.length - MAX_LISTED} more`);
  return shown.join("\n");
}

const tests = (n: number) => (n === 1 ? "1 test" : `${n} tests`);

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** What the suite said, in a sentence and a short list: failing tests with their first message line. */
export function describeOutcome(outcome: SuiteOutcome, limits: SandboxLimits): string {
  switch (outcome.kind) {
    case "passed":
      return `${outcome.passed === 1 ? "its only test" : `all ${outcome.passed} tests`} passed${outcome.skipped ? ` (${outcome.skipped} skipped)` : ""}`;
    case "failed": {
      const also = outcome.errors.length ? `\nand errors outside tests:\n${list(outcome.errors)}` : "";
      return `${outcome.failures.length} of ${tests(outcome.total)} failed:\n${list(outcome.failures)}${also}`;
    }
    case "broken":
      return `the tests could not run:\n${list(outcome.errors)}`;
    case "no-tests":
      return `it ran no tests${outcome.skipped ? ` (${outcome.skipped} skipped)` : ""}`;
    case "timeout":
      return outcome.cpu
        ? `your suite used more than ${limits.cpuSeconds} s of CPU time and was stopped`
        : `your suite did not finish in ${seconds(limits.wallMs)} and was stopped`;
    case "memory-limit":
      return `your suite used more than the ${limits.memoryMb} MB memory limit and was stopped`;
    case "output-limit":
      return `your suite printed more than ${limits.outputKb} KB and was stopped (output truncated at ${limits.outputKb} KB)`;
    case "pids-limit":
      return `your suite started more than ${limits.pids} processes or threads and was stopped`;
    case "crashed":
      return outcome.detail;
  }
}

/** A short form for the expected/actual fields and transcript lines. */
export function outcomeSummary(outcome: SuiteOutcome, limits: SandboxLimits): string {
  switch (outcome.kind) {
    case "passed":
      return `${tests(outcome.passed)} passed`;
    case "failed":
      return `${outcome.failures.length} of ${tests(outcome.total)} failed`;
    case "broken":
      return "the tests could not run (errors outside tests)";
    case "no-tests":
      return "no tests ran";
    default:
      return describeOutcome(outcome, limits);
  }
}

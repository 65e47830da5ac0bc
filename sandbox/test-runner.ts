// Test-suite runs (LaunchRequest.mode "tests"): instead of a server, the sandbox starts the pinned
// test runner of the language (pytest or Vitest) on the files in the work dir, with the same
// isolation and limits. The argv is always ours, never taken from a request: the runner scripts
// live in sandbox/runtime/test-runner/ and scripts/install-runtimes.sh installs them.
//
// A runner writes one report line to stdout ("MCP-LAB-TEST-REPORT " + JSON; the grader parses it,
// see conformance/test-suite-report.ts) and everything else, the suite's own output included, to stderr.
import { access } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SandboxError } from "./errors.ts";
import type { Runtime } from "./runtime.ts";
import type { Language, SandboxLimits } from "./types.ts";

/** The runners as they are in the repo (used without an installed runtime, SANDBOX=unsafe-local). */
const REPO_RUNNERS = fileURLToPath(new URL("./runtime/test-runner/", import.meta.url));
export const PYTEST_RUNNER = "pytest-run.py";
export const VITEST_RUNNER = "vitest-run.mjs";
/**
 * Vitest's runner is installed inside the runtime's node_modules (mounted at /node_modules in the
 * sandbox): it must load the same copy of vitest that the learner's test files import.
 */
const VITEST_RUNNER_DIR = ".mcp-lab";

/** Environment of every test run: snapshots are never written (CI), no colour codes in messages. */
export const TEST_RUN_ENV: Readonly<Record<string, string>> = Object.freeze({
  CI: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
  PYTHONDONTWRITEBYTECODE: "1",
  PYTHONUNBUFFERED: "1",
});

/** Where the runner scripts are: in a runtime root, or (no runtime) in the repo. */
export function runnerFiles(rt: Pick<Runtime, "root" | "nodeModules"> | null): {
  pytest: string;
  vitest: string;
} {
  if (!rt)
    return { pytest: path.join(REPO_RUNNERS, PYTEST_RUNNER), vitest: path.join(REPO_RUNNERS, VITEST_RUNNER) };
  return {
    pytest: path.join(rt.root, "test-runner", PYTEST_RUNNER),
    vitest: path.join(rt.nodeModules, VITEST_RUNNER_DIR, VITEST_RUNNER),
  };
}

/** The runner's path inside the bwrap sandbox (the runtime root is bound at its own path). */
export function runnerInSandbox(
  files: { pytest: string },
  language: Language,
  nodeModulesInSandbox: string,
): string {
  return language === "python"
    ? files.pytest
    : path.posix.join(nodeModulesInSandbox, VITEST_RUNNER_DIR, VITEST_RUNNER);
}

/** Refuses to start when the runtime predates test-suite runs (operator: rerun the install script). */
export async function assertRunnerInstalled(file: string): Promise<void> {
  await access(file).catch(() => {
    throw new SandboxError("SANDBOX_UNAVAILABLE", "The sandbox runtimes have no test runner installed.", [
      `missing ${file}: run scripts/install-runtimes.sh as root`,
    ]);
  });
}

/** argv that runs the test suite in the work dir (the cwd); `runner` as the process will see it. */
export function testRunnerArgv(
  bins: { pythonBin: string; nodeBin: string },
  language: Language,
  runner: string,
  limits: SandboxLimits,
): string[] {
  if (language === "python") return [bins.pythonBin, runner];
  // Vitest's forked worker inherits the heap cap; the memory cgroup caps the whole tree anyway.
  return [bins.nodeBin, `--max-old-space-size=${limits.memoryMb}`, runner];
}

// The pieces of test-suite grading that need no sandbox: declarative source edits, the line diff
// shown to learners, the runner's report line, how a run's end becomes an outcome and a sentence,
// and lab.yaml's `kind: test-suite`. (Sandboxed runs: tests/sandbox/test-suite-runs.test.ts and
// tests/labs/contract-tests.test.ts.)
import { describe, expect, it } from "vitest";
import { parseLabConfig } from "../../conformance/lab-config.ts";
import { applyEdits } from "../../conformance/source-patch.ts";
import {
  classifyRun,
  describeOutcome,
  flagged,
  parseRunnerStdout,
  TEST_REPORT_PREFIX,
  type TestReport,
} from "../../conformance/test-suite-report.ts";
import { unifiedDiff } from "../../conformance/text-diff.ts";
import { defaultLimits, type ExitInfo } from "../../sandbox/index.ts";

const SOURCE = [
  "import x",
  "# --- tool: a ---",
  "def a(): return 1",
  "",
  "# --- tool: b ---",
  "def b(): return 1",
  "",
  "# --- end of tools ---",
  "run()",
].join("\n");

describe("source edits", () => {
  it("replaces exactly one occurrence, in a block or in the file", () => {
    expect(applyEdits(SOURCE, [{ within: "tool: b", find: "return 1", replace: "return 2" }])).toContain(
      "def a(): return 1\n\n# --- tool: b ---\ndef b(): return 2",
    );
    expect(applyEdits(SOURCE, [{ find: "import x", replace: "import y" }])).toMatch(/^import y\n/);
  });

  it("removes, inserts and moves blocks by their marker lines", () => {
    expect(applyEdits(SOURCE, [{ removeBlock: "tool: a" }])).not.toContain("def a");
    expect(
      applyEdits(SOURCE, [{ insertBefore: "end of tools", text: "# --- tool: c ---\ndef c(): pass\n\n" }]),
    ).toContain("def b(): return 1\n\n# --- tool: c ---\ndef c(): pass\n\n# --- end of tools ---");
    const moved = applyEdits(SOURCE, [{ moveBlock: "tool: a", before: "end of tools" }]);
    expect(moved.indexOf("def b")).toBeLessThan(moved.indexOf("def a"));
    expect(moved.indexOf("def a")).toBeLessThan(moved.indexOf("end of tools"));
  });

  it("refuses an anchor that is missing or ambiguous, naming the edit", () => {
    expect(() => applyEdits(SOURCE, [{ find: "nope", replace: "" }])).toThrow(
      'edit 1: "nope" not found in the file',
    );
    expect(() =>
      applyEdits(SOURCE, [
        { find: "import x", replace: "" },
        { find: "return 1", replace: "" },
      ]),
    ).toThrow('edit 2: "return 1" occurs more than once in the file');
    expect(() => applyEdits(SOURCE, [{ removeBlock: "tool: z" }])).toThrow(
      'no marker line "--- tool: z ---"',
    );
  });
});

describe("line diff", () => {
  it("shows changed lines with context as unified hunks, and nothing for equal texts", () => {
    expect(unifiedDiff(SOURCE, SOURCE)).toBe("");
    const diff = unifiedDiff(SOURCE, SOURCE.replace("def b(): return 1", "def b(): return '1'"));
    expect(diff).toBe(
      ["@@ -5,3 +5,3 @@", " # --- tool: b ---", "-def b(): return 1", "+def b(): return '1'", " "].join("\n"),
    );
  });

  it("cuts long diffs with a note", () => {
    const many = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const diff = unifiedDiff(many, many.replaceAll("line", "row"), { maxLines: 10 });
    expect(diff.split("\n")).toHaveLength(11);
    expect(diff).toMatch(/… \(191 more diff lines\)$/);
  });
});

const report = (over: Partial<TestReport> = {}): TestReport => ({
  runner: "pytest 9.2.0",
  exitCode: 0,
  tests: [{ name: "t::a", status: "passed" }],
  errors: [],
  deleted: [],
  ...over,
});
const exited = (code: number, over: Partial<ExitInfo> = {}): ExitInfo => ({
  reason: "exited",
  code,
  signal: null,
  durationMs: 1000,
  ...over,
});
const limits = { ...defaultLimits, wallMs: 30_000, cpuSeconds: 30 };

describe("a run's report and outcome", () => {
  it("takes the last report line from stdout and keeps the rest as output", () => {
    const line = `${TEST_REPORT_PREFIX}${JSON.stringify(report({ runner: "second" }))}`;
    const parsed = parseRunnerStdout(
      `noise\n${TEST_REPORT_PREFIX}${JSON.stringify(report())}\n${line}\n${TEST_REPORT_PREFIX}{bad\n`,
    );
    expect(parsed.report?.runner).toBe("second");
    expect(parsed.other).toBe(`noise\n${TEST_REPORT_PREFIX}{bad`);
    expect(parseRunnerStdout("nothing").report).toBeNull();
  });

  it("classifies passes, failures, collection errors and empty suites", () => {
    expect(classifyRun(exited(0), report(), limits).outcome).toEqual({
      kind: "passed",
      passed: 1,
      skipped: 0,
    });
    const failed = classifyRun(
      exited(1),
      report({
        tests: [
          { name: "t::a", status: "failed", message: "AssertionError: x" },
          { name: "t::b", status: "passed" },
        ],
      }),
      limits,
    ).outcome;
    expect(failed).toMatchObject({ kind: "failed", total: 2 });
    expect(describeOutcome(failed, limits)).toBe("1 of 2 tests failed:\n  • t::a: AssertionError: x");
    const broken = classifyRun(
      exited(2),
      report({ tests: [], errors: [{ where: "t.py", message: "SyntaxError" }] }),
      limits,
    );
    expect(broken.outcome.kind).toBe("broken");
    expect(flagged(broken.outcome)).toBe(true);
    expect(classifyRun(exited(5), report({ tests: [] }), limits).outcome.kind).toBe("no-tests");
    // Everything green (or nothing run) but a non-zero exit: something outside the tests went wrong.
    expect(classifyRun(exited(3), report(), limits).outcome.kind).toBe("broken");
    const usage = classifyRun(exited(4), report({ tests: [] }), limits).outcome;
    expect(describeOutcome(usage, limits)).toMatch(/exited with code 4 although no test failed/);
  });

  it("says why a run ended without results", () => {
    const wall = classifyRun(
      exited(0, { reason: "timeout", code: null, signal: "SIGKILL", durationMs: 30_010 }),
      null,
      limits,
    );
    expect(describeOutcome(wall.outcome, limits)).toBe("your suite did not finish in 30 s and was stopped");
    const cpu = classifyRun(exited(0, { reason: "timeout", durationMs: 12_000 }), null, limits);
    expect(describeOutcome(cpu.outcome, limits)).toBe(
      "your suite used more than 30 s of CPU time and was stopped",
    );
    const memory = classifyRun(exited(0, { reason: "memory-limit" }), null, limits);
    expect(describeOutcome(memory.outcome, limits)).toMatch(/more than the 256 MB memory limit/);
    const noReport = classifyRun(exited(0), null, limits);
    expect(describeOutcome(noReport.outcome, limits)).toMatch(/without reporting its results/);
    expect(flagged(wall.outcome) || flagged(memory.outcome) || flagged(noReport.outcome)).toBe(false);
  });

  it("carries the files a suite deleted", () => {
    expect(classifyRun(exited(0), report({ deleted: ["server.py"] }), limits).deleted).toEqual(["server.py"]);
  });
});

describe("lab.yaml kind: test-suite", () => {
  const base = [
    "id: t",
    "title: t",
    "module: 7",
    "summary: s",
    "transport: stdio",
    "languages: [python]",
    "entry: { python: test_x.py }",
  ].join("\n");

  it("defaults to a server lab, and takes a testSuite block with defaults for a test-suite lab", () => {
    const server = parseLabConfig(base);
    expect(server.ok && server.value.kind).toBe("server");
    const suite = parseLabConfig(`${base}\nkind: test-suite\ntestSuite: {}\n`);
    expect(suite.ok && suite.value.testSuite).toEqual({ subject: "subject", parallel: 2 });
  });

  it("requires testSuite for kind: test-suite, and only there", () => {
    for (const text of [`${base}\nkind: test-suite\n`, `${base}\ntestSuite: {}\n`]) {
      const parsed = parseLabConfig(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.error).toContain("testSuite: is required for kind: test-suite, and only for it");
    }
  });
});

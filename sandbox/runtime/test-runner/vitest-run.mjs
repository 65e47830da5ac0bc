// MCP Lab's Vitest runner for test-suite labs; it runs inside the sandbox, in the work dir.
//
// Runs the learner's tests with the pinned Vitest (one forked worker, no watch, no config file, no
// cache on disk) and writes one line to the real stdout: "MCP-LAB-TEST-REPORT " followed by a JSON
// report (runner, exitCode, tests, errors, deleted). Everything else this process prints goes to
// stderr, so the report channel carries nothing but the report. Messages are clipped; the full
// output is on stderr. It is installed inside the runtime's node_modules so that it and the tests
// resolve the same copy of vitest.
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REPORT_PREFIX = "MCP-LAB-TEST-REPORT ";
const MAX_TESTS = 500;
const MAX_MESSAGE = 2000;
const MAX_FILES = 2000;

const writeReport = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);

const clip = (text) => {
  const t = String(text ?? "").trim();
  return t.length <= MAX_MESSAGE ? t : `${t.slice(0, MAX_MESSAGE - 1)}…`;
};

/** Relative paths of the files in the work dir (bounded), to notice a suite deleting them. */
function filesUnder(root) {
  const found = new Set();
  const walk = (rel) => {
    let entries = [];
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (found.size >= MAX_FILES) return;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(p);
      } else found.add(p);
    }
  };
  walk("");
  return found;
}

const work = process.cwd();

const errorText = (e) => {
  const name = e?.name && e.name !== "Error" ? `${e.name}: ` : "";
  return clip(`${name}${e?.message ?? String(e)}`.replaceAll(`${work}/`, ""));
};

const before = filesUnder(work);
const report = { runner: "vitest", exitCode: 1, tests: [], errors: [], deleted: [] };

const collect = {
  onTestRunEnd(modules, unhandledErrors) {
    for (const mod of modules) {
      for (const e of mod.errors())
        report.errors.push({ where: mod.relativeModuleId, message: errorText(e) });
      for (const suite of mod.children.allSuites()) {
        for (const e of suite.errors()) report.errors.push({ where: suite.fullName, message: errorText(e) });
      }
      for (const test of mod.children.allTests()) {
        if (report.tests.length >= MAX_TESTS) break;
        const result = test.result();
        const status = result.state === "pending" ? "failed" : result.state;
        const entry = { name: `${mod.relativeModuleId} > ${test.fullName}`, status };
        if (status === "failed")
          entry.message = result.errors?.length ? errorText(result.errors[0]) : "did not finish";
        report.tests.push(entry);
      }
    }
    for (const e of unhandledErrors) report.errors.push({ where: "unhandled error", message: errorText(e) });
  },
};

let code = 1;
try {
  const { startVitest, version } = await import("vitest/node");
  report.runner = `vitest ${version}`;
  const vitest = await startVitest(
    "test",
    [],
    {
      config: false,
      root: work,
      watch: false,
      pool: "forks",
      maxWorkers: 1,
      fileParallelism: false,
      passWithNoTests: true,
      // Nothing on disk beside the tests: no results cache, no transformed-module cache.
      cache: false,
      fsModuleCache: false,
      reporters: ["default", collect],
    },
    { cacheDir: path.join(tmpdir(), "vite-cache"), logLevel: "warn" },
  );
  await vitest?.close();
  const failed = report.tests.some((t) => t.status === "failed") || report.errors.length > 0;
  code = failed ? 1 : report.tests.length === 0 ? 5 : 0;
} catch (err) {
  report.errors.push({ where: "vitest", message: errorText(err) });
}
report.exitCode = code;
report.deleted = [...before].filter((f) => !filesUnder(work).has(f)).slice(0, 50);
writeReport(`${REPORT_PREFIX}${JSON.stringify(report)}\n`, () => process.exit(code));

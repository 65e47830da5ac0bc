// The contract-tests lab, proven both ways through the real CLI and sandbox: the reference suites
// catch every breaking variant and pass on every compatible one, the starters and the broken suites
// in tests/fixtures/contract-tests/ fail exactly the checks they should, with the words a learner
// needs (what changed, what their suite said, the diff), and bad suites (hanging, deleting their
// files, not parsing) end with a verdict that says what happened.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CheckStatus, GradeResult } from "../../conformance/result.ts";
import { assertGraded, type Expectation, grade, type Lang, REPO_DIR } from "./grade-cli.ts";

const LAB = "contract-tests";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_125);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (p: string) => path.join(REPO_DIR, "tests/fixtures/contract-tests", p);
const ENTRY: Record<Lang, string> = { python: "test_contract.py", typescript: "contract.test.ts" };

const BREAKING = [
  "tool-removed",
  "tool-renamed",
  "param-renamed",
  "param-made-required",
  "output-type-changed",
  "error-became-success",
];
const COMPATIBLE = [
  "optional-param-added",
  "tool-added",
  "description-reworded",
  "output-field-added",
  "tools-reordered",
];
const ALL_VARIANTS = [...BREAKING.map((id) => `catches-${id}`), ...COMPATIBLE.map((id) => `accepts-${id}`)];

type Want = Expectation["checks"];
const notCaught = { status: "fail" as const, message: /^Not caught: .+ a release with it would ship green/ };
const falseAlarm = {
  status: "fail" as const,
  message: /^False alarm: .+ is backward compatible, yet 1 of 1 test failed/,
};
const skipped = { status: "skipped" as const, message: /^skipped: suite-passes-on-original failed first$/ };
const allOf = (ids: string[], want: Want[string]): Want => Object.fromEntries(ids.map((id) => [id, want]));

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
});

/** A submission folder from fixture folders: `*.ts.txt` become `*.ts`, later parts win. */
async function compose(parts: Array<{ dir: string; rename?: Record<string, string> }>): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), "contract-tests-submission-"));
  scratch.push(out);
  for (const part of parts) {
    await cp(part.dir, out, { recursive: true });
    for (const [from, to] of Object.entries(part.rename ?? {})) {
      await writeFile(path.join(out, to), await readFile(path.join(part.dir, from)));
      await rm(path.join(out, from));
    }
  }
  for (const name of await readdir(out, { recursive: true })) {
    if (!name.endsWith(".ts.txt")) continue;
    const target = path.join(out, name.slice(0, -".txt".length));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await readFile(path.join(out, name)));
    await rm(path.join(out, name));
  }
  return out;
}

const fixtureDir = (name: string, lang: Lang) => compose([{ dir: fixture(`${name}/${lang}`) }]);

/** The broken suite's folder, plus (deletes-files) the reference suite it wraps. */
async function deletesFilesDir(lang: Lang): Promise<string> {
  const solution = { dir: lab(`solution/${lang}`) };
  if (lang === "python") return compose([solution, { dir: fixture("deletes-files/python") }]);
  return compose([
    { ...solution, rename: { "contract.test.ts": "reference.ts" } },
    { dir: fixture("deletes-files/typescript") },
  ]);
}

function summary(result: GradeResult): string {
  return result.checks
    .map((c) => `${c.id}: ${c.status} ${c.message.split("\n")[0].slice(0, 140)}`)
    .join("\n");
}

function expectStatuses(result: GradeResult, want: Record<string, CheckStatus>): void {
  expect(Object.fromEntries(result.checks.map((c) => [c.id, c.status])), summary(result)).toEqual(want);
}

for (const lang of ["python", "typescript"] as const) {
  // Each grade is 12 sandboxed runs of a suite (~20-45 s on a loaded 2-core machine).
  describe(`lab ${LAB} (${lang})`, { timeout: 240_000 }, () => {
    it("the reference suite catches every breaking variant and passes on every compatible one", async () => {
      const result = await grade(LAB, lab(`solution/${lang}`), lang, SEED);
      assertGraded(result, { name: "solution", dir: "", lang, status: "pass", checks: {} });
      expect(result.checks.map((c) => c.id)).toEqual(["suite-passes-on-original", ...ALL_VARIANTS]);
      expect(result).toMatchObject({ verdict: "passed", score: 12, maxScore: 12, trace: [] });
      expect(result.message).toBe(
        "Your suite caught 6 of 6 breaking changes and passed on 5 of 5 compatible ones. It passes on the server as shipped.",
      );
      expect(result.runtime).toMatchObject(lang === "python" ? { pytest: "9.2.0" } : { vitest: "5.1.1" });
      // The suite's output of every run, labelled, is what the result carries instead of a trace.
      expect(result.stderr).toContain("===== the server as shipped: 6 tests passed =====");
      expect(result.stderr.match(/^===== /gm)).toHaveLength(12);
      for (const check of result.checks.filter((c) => c.id.startsWith("catches-")))
        expect(check.message).toMatch(/^Caught: .+\. Your suite said: \d of 6 tests failed:\n {2}• /);
    });

    it("the starter only checks tool names: it catches a removed or renamed tool, nothing else", async () => {
      const result = await grade(LAB, lab(`starter/${lang}`), lang, SEED);
      const rest = BREAKING.filter((id) => id !== "tool-removed" && id !== "tool-renamed");
      assertGraded(result, {
        name: "starter",
        dir: "",
        lang,
        status: "fail",
        checks: allOf(
          rest.map((id) => `catches-${id}`),
          { status: "fail", message: /^Not caught: .+ its only test passed/ },
        ),
      });
      expect(result.verdict).toBe("checks-failed");
      const missed = result.checks.find((c) => c.id === "catches-error-became-success");
      // What was changed, as a diff of the server, and what to test instead.
      expect(missed?.sent).toMatch(
        /^the server with this change:\n--- server\.(py|ts)\n@@ -\d+,\d+ \+\d+,\d+ @@\n/,
      );
      expect(missed?.sent).toMatch(/\n-.*(No book with ISBN|No copy of|No open loan)/);
      expect(missed).toMatchObject({ expected: "at least one test fails", actual: "1 test passed" });
      expect(missed?.hint).toMatch(/isError: true/);
      expect(missed?.lesson).toBe("m7/contract-tests");
    });

    it("a suite that asserts nothing catches nothing", async () => {
      const result = await grade(LAB, await fixtureDir("always-passes", lang), lang, SEED);
      assertGraded(result, {
        name: "always-passes",
        dir: "",
        lang,
        status: "fail",
        checks: allOf(
          BREAKING.map((id) => `catches-${id}`),
          notCaught,
        ),
      });
      expect(result.message).toBe(
        "Your suite caught 0 of 6 breaking changes and passed on 5 of 5 compatible ones.",
      );
    });

    it("an exact snapshot catches schema changes but raises a false alarm on every compatible change", async () => {
      const result = await grade(LAB, await fixtureDir("false-alarm", lang), lang, SEED);
      assertGraded(result, {
        name: "false-alarm",
        dir: "",
        lang,
        status: "fail",
        checks: {
          "catches-error-became-success": notCaught,
          ...allOf(
            COMPATIBLE.map((id) => `accepts-${id}`),
            falseAlarm,
          ),
        },
      });
      const reworded = result.checks.find((c) => c.id === "accepts-description-reworded");
      expect(reworded?.hint).toMatch(/Leave them out of the compatibility check/);
      expect(reworded?.sent).toMatch(/\n\+.*description|\n\+\s+"""/);
      expect(result.message).toBe(
        "Your suite caught 5 of 6 breaking changes and passed on 0 of 5 compatible ones.",
      );
    });

    it("a suite that hangs is stopped at the lab's wall limit and the other runs are cancelled", async () => {
      const result = await grade(LAB, await fixtureDir("hangs", lang), lang, SEED);
      expect(result).toMatchObject({ status: "fail", verdict: "timeout", score: 0, maxScore: 12 });
      expect(result.message).toBe(
        "On the server as shipped, your suite did not finish in 30 s and was stopped. No change was judged.",
      );
      expectStatuses(result, {
        "suite-passes-on-original": "fail",
        ...Object.fromEntries(ALL_VARIANTS.map((id) => [id, "skipped"])),
      });
      const original = result.checks[0];
      expect(original.message).toMatch(
        /^Your suite does not pass on the server as shipped.+did not finish in 30 s/,
      );
      for (const check of result.checks.slice(1)) expect(check.message).toMatch(skipped.message);
    });

    it("a suite that deletes its own files is contained: every run starts fresh, and it is told", async () => {
      const dir = await deletesFilesDir(lang);
      const before = (await readdir(dir, { recursive: true })).sort();
      const result = await grade(LAB, dir, lang, SEED);
      assertGraded(result, { name: "deletes-files", dir, lang, status: "pass", checks: {} });
      for (const check of result.checks) {
        expect(check.message, check.id).toMatch(
          /Note: your suite deleted files during this run \(.*server\.(py|ts)/,
        );
      }
      expect(result.message).toMatch(
        /deleted some of its own files in 12 of 12 runs; each run started from a fresh copy\.$/,
      );
      expect((await readdir(dir, { recursive: true })).sort()).toEqual(before);
    });

    it("a suite that does not parse is told why, and no change is judged", async () => {
      const result = await grade(LAB, await fixtureDir("syntax-error", lang), lang, SEED);
      expect(result).toMatchObject({ status: "fail", verdict: "checks-failed", score: 0 });
      expectStatuses(result, {
        "suite-passes-on-original": "fail",
        ...Object.fromEntries(ALL_VARIANTS.map((id) => [id, "skipped"])),
      });
      expect(result.checks[0].message).toMatch(
        new RegExp(
          `^Your suite does not pass on the server as shipped, so it cannot judge any change: the tests could not run:\\n {2}• ${ENTRY[lang].replace(".", "\\.")}: .*(SyntaxError|Expected|Unexpected)`,
        ),
      );
      expect(result.message).toMatch(/^On the server as shipped, the tests could not run/);
    });
  });
}

// The contract-tests lab's variants: every form of every mutant applies to both subjects, changes
// them, and still compiles; the seed picks the forms reproducibly and does vary them. With
// EXHAUSTIVE=1, the reference suites also run (sandboxed) against every form of every mutant, not
// only those one seed picks: caught when breaking, green when compatible.
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { stripTypeScriptTypes } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runSuiteOnce } from "../../conformance/test-suite-grade.ts";
import { flagged } from "../../conformance/test-suite-report.ts";
import { buildVariant, MUTANTS, variants } from "../../labs/contract-tests/mutants.ts";
import { defaultLimits } from "../../sandbox/index.ts";
import { REPO_DIR } from "./grade-cli.ts";

const LANGS = ["python", "typescript"] as const;
type Lang = (typeof LANGS)[number];
const ENTRY: Record<Lang, string> = { python: "server.py", typescript: "server.ts" };
const RUNTIME_PYTHON = "/opt/mcp-lab/runtimes/python/bin/python";

async function subject(lang: Lang): Promise<Record<string, string>> {
  const file = path.join(REPO_DIR, "labs/contract-tests/subject", lang, ENTRY[lang]);
  return { [ENTRY[lang]]: await readFile(file, "utf8") };
}

/** Every form of every mutant for a language: [label, mutated source]. */
async function allForms(
  lang: Lang,
): Promise<Array<{ id: string; kind: string; change: string; source: string }>> {
  const input = { seed: 1, lang, subject: await subject(lang) };
  return MUTANTS.flatMap((spec) =>
    spec.options.map((option) => {
      const v = buildVariant(spec, option, input);
      return { id: spec.id, kind: spec.kind, change: v.change, source: v.files[ENTRY[lang]] };
    }),
  );
}

/** Python compile errors, by label (one interpreter for all of them). */
function pythonCompileErrors(sources: Record<string, string>): Record<string, string> {
  const script =
    "import json, sys\nerrors = {}\nfor name, src in json.load(sys.stdin).items():\n" +
    "    try:\n        compile(src, name, 'exec')\n    except SyntaxError as e:\n        errors[name] = str(e)\n" +
    "print(json.dumps(errors))\n";
  return JSON.parse(
    execFileSync(RUNTIME_PYTHON, ["-c", script], { input: JSON.stringify(sources) }).toString(),
  );
}

describe("contract-tests variants", () => {
  it("has six breaking and five compatible mutants with distinct ids", () => {
    expect(MUTANTS.filter((m) => m.kind === "breaking").map((m) => m.id)).toEqual([
      "tool-removed",
      "tool-renamed",
      "param-renamed",
      "param-made-required",
      "output-type-changed",
      "error-became-success",
    ]);
    expect(MUTANTS.filter((m) => m.kind === "compatible").map((m) => m.id)).toEqual([
      "optional-param-added",
      "tool-added",
      "description-reworded",
      "output-field-added",
      "tools-reordered",
    ]);
  });

  it.each(LANGS)(
    "applies every form of every mutant to the %s subject, and the result compiles",
    async (lang) => {
      const original = (await subject(lang))[ENTRY[lang]];
      const forms = await allForms(lang);
      expect(forms.length).toBeGreaterThan(40);
      for (const form of forms) expect(form.source, form.change).not.toBe(original);
      if (lang === "python") {
        expect(pythonCompileErrors(Object.fromEntries(forms.map((f) => [f.change, f.source])))).toEqual({});
      } else {
        // What Node does before it runs server.ts: strip the types (throws on a syntax error).
        for (const form of forms) expect(() => stripTypeScriptTypes(form.source), form.change).not.toThrow();
      }
    },
  );

  it("picks each mutant's form from the seed: reproducible, and varying across seeds", async () => {
    const s = await subject("python");
    const changes = (seed: number) => variants({ seed, lang: "python", subject: s }).map((v) => v.change);
    expect(changes(7)).toEqual(changes(7));
    for (const spec of MUTANTS) {
      const seen = new Set(Array.from({ length: 40 }, (_, seed) => changes(seed)[MUTANTS.indexOf(spec)]));
      expect(seen.size, spec.id).toBeGreaterThan(1);
    }
  });
});

describe.runIf(process.env.EXHAUSTIVE === "1")("contract-tests: reference suites against every form", () => {
  it.each(LANGS)("%s", { timeout: 1_800_000 }, async (lang) => {
    const sourceDir = await mkdtemp(path.join(tmpdir(), "contract-tests-solution-"));
    try {
      await cp(path.join(REPO_DIR, "labs/contract-tests/solution", lang), sourceDir, { recursive: true });
      const options = {
        sourceDir,
        lang,
        entry: lang === "python" ? "test_contract.py" : "contract.test.ts",
        limits: { ...defaultLimits, wallMs: 60_000, cpuSeconds: 60, memoryMb: 512, pids: 128 },
      };
      const wrong: string[] = [];
      const forms = await allForms(lang);
      for (let i = 0; i < forms.length; i += 2) {
        await Promise.all(
          forms.slice(i, i + 2).map(async (form) => {
            const { classified } = await runSuiteOnce(options, { [ENTRY[lang]]: form.source });
            const ok =
              form.kind === "breaking" ? flagged(classified.outcome) : classified.outcome.kind === "passed";
            if (!ok) wrong.push(`${form.id}: ${form.change} -> ${classified.outcome.kind}`);
          }),
        );
      }
      expect(wrong).toEqual([]);
    } finally {
      await rm(sourceDir, { recursive: true, force: true });
    }
  });
});

// npm run bench:labs -- [--lab <id>] [--lang python|typescript] [--runs 5]
// For every lab and language: grades the reference solution N times sandboxed (bwrap) and prints
// p50/p95 of the whole run; then grades it three times in a row with three other seeds and
// compares every check's status across them. Exit 1 if a solution does not pass or a status
// differs between seeds (a flaky or seed-sensitive check).
import path from "node:path";
import { parseArgs } from "../../conformance/cli/args.ts";
import { gradeSubmission } from "../../conformance/grade.ts";
import { defaultLabsRoot, listLabIds, loadLabConfig } from "../../conformance/lab-config.ts";
import type { GradeResult } from "../../conformance/result.ts";
import { checkIsolation } from "../../sandbox/index.ts";
import { median, percentile } from "../stats.ts";

type Lang = "python" | "typescript";
const SEEDS = [101, 202, 303];

async function gradeSolution(
  lab: string,
  lang: Lang,
  seed: number,
): Promise<{ ms: number; result: GradeResult }> {
  const started = performance.now();
  const result = await gradeSubmission({
    labId: lab,
    dir: path.join(defaultLabsRoot, lab, "solution", lang),
    lang,
    seed,
    isolation: "bwrap",
  });
  return { ms: performance.now() - started, result };
}

/** Check ids whose status is not the same in every run, with the statuses seen. */
function flakyChecks(results: GradeResult[]): string[] {
  const byCheck = new Map<string, string[]>();
  for (const r of results)
    for (const c of r.checks) byCheck.set(c.id, [...(byCheck.get(c.id) ?? []), c.status]);
  return [...byCheck]
    .filter(([, statuses]) => statuses.length !== results.length || new Set(statuses).size > 1)
    .map(([id, statuses]) => `${id} (${statuses.join("/")})`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { strings: ["lab", "lang", "runs"], booleans: [] });
  if (!args.ok) throw new Error(args.error);
  const runs = args.values.runs === undefined ? 5 : Number(args.values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
  const iso = await checkIsolation();
  if (!iso.ok) throw new Error(`sandbox isolation is unavailable here: ${iso.details.join("; ")}`);

  const labs = typeof args.values.lab === "string" ? [args.values.lab] : await listLabIds();
  const problems: string[] = [];
  process.stdout.write(
    `bench:labs: each solution graded ${runs}x sandboxed (after a warm-up), then with seeds ${SEEDS.join(", ")}\n\n`,
  );
  process.stdout.write(
    `${"lab".padEnd(28)}${"lang".padEnd(12)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}  checks  seeds\n`,
  );
  for (const lab of labs) {
    const config = await loadLabConfig(lab);
    if (!config.ok) throw new Error(config.error);
    const langs = config.value.languages.filter((l) => !args.values.lang || l === args.values.lang);
    for (const lang of langs) {
      await gradeSolution(lab, lang, 0);
      const times: number[] = [];
      for (let i = 1; i <= runs; i++) {
        const { ms, result } = await gradeSolution(lab, lang, i);
        if (result.status !== "pass")
          problems.push(`${lab} ${lang} seed ${i}: ${result.status} (${result.message})`);
        times.push(ms);
      }
      const seeded: GradeResult[] = [];
      for (const seed of SEEDS) seeded.push((await gradeSolution(lab, lang, seed)).result);
      const flaky = flakyChecks(seeded);
      for (const r of seeded)
        if (r.status !== "pass") problems.push(`${lab} ${lang} seed ${r.seed}: ${r.status} (${r.message})`);
      if (flaky.length) problems.push(`${lab} ${lang}: statuses differ between seeds: ${flaky.join(", ")}`);
      process.stdout.write(
        `${lab.padEnd(28)}${lang.padEnd(12)}${String(Math.round(median(times))).padStart(8)}${String(Math.round(percentile(times, 95))).padStart(8)}  ${String(seeded[0].checks.length).padStart(6)}  ${flaky.length ? "DIFFER" : "same"}\n`,
      );
    }
  }
  if (problems.length) {
    process.stdout.write(`\n${problems.join("\n")}\n`);
    process.exit(1);
  }
  process.stdout.write("\nevery solution passed, every check's status identical across seeds\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:labs: ${(err as Error).message}\n`);
  process.exit(1);
});

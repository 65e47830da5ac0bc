// npm run labs:verify [-- --lab <id>] [--seed N] [--labs-root <folder>]
// Proves every lab in every language: its reference solution passes and its starter fails.
// --labs-root (or LABS_DIR, as for `npm run lab:new`) proves the labs of another folder.
// Exit 0 when every expectation holds, 1 otherwise, 2 for bad input.
import path from "node:path";
import { gradeSubmission } from "../grade.ts";
import { defaultLabsRoot, listLabIds, loadLabConfig } from "../lab-config.ts";
import type { GradeResult } from "../result.ts";
import { parseArgs } from "./args.ts";

const USAGE = "usage: npm run labs:verify [-- --lab <id>] [--seed N] [--labs-root <folder>]";

interface Row {
  lab: string;
  lang: string;
  variant: "solution" | "starter";
  expected: "pass" | "fail";
  result: GradeResult;
  ok: boolean;
}

function badInput(message: string): never {
  process.stderr.write(`labs:verify: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    strings: ["lab", "seed", "labs-root"],
    booleans: ["help"],
  });
  if (!args.ok) badInput(args.error);
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seed = args.values.seed === undefined ? 1 : Number(args.values.seed);
  if (!Number.isInteger(seed) || seed < 0) badInput("--seed must be a non-negative integer");
  const rootOption = args.values["labs-root"];
  const labsRoot = path.resolve(
    (typeof rootOption === "string" && rootOption) || process.env.LABS_DIR || defaultLabsRoot,
  );
  const ids = typeof args.values.lab === "string" ? [args.values.lab] : await listLabIds(labsRoot);
  if (ids.length === 0) badInput(`no labs found in ${labsRoot}`);
  const rows: Row[] = [];
  for (const id of ids) {
    const config = await loadLabConfig(id, labsRoot);
    if (!config.ok) badInput(config.error);
    for (const lang of config.value.languages) {
      for (const variant of ["solution", "starter"] as const) {
        const dir = path.join(labsRoot, id, variant, lang);
        const expected = variant === "solution" ? "pass" : "fail";
        process.stdout.write(`grading ${id} ${variant}/${lang} ... `);
        const result = await gradeSubmission({ labId: id, dir, lang, seed, labsRoot });
        // A starter must fail on its checks, not because it could not be graded.
        const ok = expected === "pass" ? result.status === "pass" : result.status === "fail";
        process.stdout.write(
          `${result.status} (${result.verdict}, ${result.score}/${result.maxScore}, ${(result.durationMs / 1000).toFixed(2)} s)\n`,
        );
        rows.push({ lab: id, lang, variant, expected, result, ok });
      }
    }
  }
  const w = Math.max(4, ...rows.map((r) => r.lab.length));
  process.stdout.write(
    `\n${pad("lab", w)}  ${pad("lang", 10)}  ${pad("variant", 8)}  ${pad("expected", 8)}  ${pad("got", 5)}  ${pad("verdict", 14)}  score   ok\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${pad(r.lab, w)}  ${pad(r.lang, 10)}  ${pad(r.variant, 8)}  ${pad(r.expected, 8)}  ${pad(r.result.status, 5)}  ${pad(r.result.verdict, 14)}  ${pad(`${r.result.score}/${r.result.maxScore}`, 6)}  ${r.ok ? "yes" : "NO"}\n`,
    );
  }
  const bad = rows.filter((r) => !r.ok);
  for (const r of bad) {
    process.stdout.write(
      `\n${r.lab} ${r.variant}/${r.lang}: expected ${r.expected}, got ${r.result.status} (${r.result.verdict}). ${r.result.message ?? ""}\n`,
    );
    for (const c of r.result.checks.filter((x) => x.status === "fail" || x.status === "error")) {
      process.stdout.write(`  ${c.status} ${c.id}: ${c.message.split("\n")[0]}\n`);
    }
  }
  process.stdout.write(`\n${rows.length - bad.length}/${rows.length} as expected\n`);
  process.exitCode = bad.length ? 1 : 0;
}

main().catch((err: unknown) => {
  process.stderr.write(`labs:verify: internal error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});

// npm run bench:grade -- [--lab hello-server] [--lang python] [--runs 20]
// Grades a lab's reference solution N times sandboxed (bwrap) and N times as a plain process
// (SANDBOX=unsafe-local), interleaved so both see the same machine load, and prints p50/p95 of
// each, their ratio, and where the time goes from the grader's own timings.
// Targets: p50 <= 1500 ms sandboxed; sandboxed/unsafe p50 ratio <= 1.25.
import path from "node:path";
import { parseArgs } from "../../conformance/cli/args.ts";
import type { GradeTimings } from "../../conformance/events.ts";
import { gradeSubmission } from "../../conformance/grade.ts";
import { checkIsolation } from "../../sandbox/index.ts";
import { median, percentile } from "../stats.ts";

type Mode = "bwrap" | "unsafe-local";

interface Sample {
  wallMs: number;
  timings: GradeTimings;
  status: string;
}

const TARGET_P50_MS = 1500;
const TARGET_RATIO = 1.25;

async function gradeOnce(
  lab: string,
  lang: "python" | "typescript",
  isolation: Mode,
  seed: number,
): Promise<Sample> {
  let timings: GradeTimings | undefined;
  const dir = path.resolve(import.meta.dirname, "../../labs", lab, "solution", lang);
  const started = performance.now();
  const result = await gradeSubmission({
    labId: lab,
    dir,
    lang,
    seed,
    isolation,
    onEvent: (e) => {
      if (e.type === "finished") timings = e.timings;
    },
  });
  const wallMs = performance.now() - started;
  if (!timings) throw new Error("no timings reported");
  return { wallMs, timings, status: result.status };
}

function row(label: string, values: number[]): string {
  return `${label.padEnd(36)} p50 ${String(Math.round(median(values))).padStart(5)} ms   p95 ${String(Math.round(percentile(values, 95))).padStart(5)} ms`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { strings: ["lab", "lang", "runs"], booleans: [] });
  if (!args.ok) throw new Error(args.error);
  const lab = typeof args.values.lab === "string" ? args.values.lab : "hello-server";
  const lang = args.values.lang === "typescript" ? "typescript" : "python";
  const runs = args.values.runs === undefined ? 20 : Number(args.values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");

  const iso = await checkIsolation();
  if (!iso.ok)
    throw new Error(`sandbox isolation is unavailable here, nothing to compare: ${iso.details.join("; ")}`);
  // Needed for the unsafe-local runs; the bwrap runs ask for isolation explicitly.
  process.env.SANDBOX = "unsafe-local";

  const samples: Record<Mode, Sample[]> = { bwrap: [], "unsafe-local": [] };
  process.stdout.write(
    `bench:grade ${lab} ${lang} solution, ${runs} runs per mode (after one warm-up each), interleaved\n`,
  );
  for (const mode of ["bwrap", "unsafe-local"] as const) await gradeOnce(lab, lang, mode, 0);
  for (let i = 1; i <= runs; i++) {
    for (const mode of ["bwrap", "unsafe-local"] as const) {
      const s = await gradeOnce(lab, lang, mode, i);
      if (s.status !== "pass") throw new Error(`run ${i} (${mode}) did not pass: ${s.status}`);
      samples[mode].push(s);
    }
    process.stderr.write(".");
  }
  process.stderr.write("\n");

  for (const mode of ["bwrap", "unsafe-local"] as const) {
    const s = samples[mode];
    const t = (f: (x: GradeTimings) => number | null) => s.map((x) => f(x.timings) ?? 0);
    process.stdout.write(`\n${mode === "bwrap" ? "sandboxed (bwrap)" : "unsafe-local (plain process)"}\n`);
    process.stdout.write(
      `${row(
        "whole grading run (wall)",
        s.map((x) => x.wallMs),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        "  launch (sandbox setup)",
        t((x) => x.launchMs),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        "  process start -> first byte",
        t((x) => x.firstByteMs),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        "  -> initialize answered",
        t((x) => x.initializeMs),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        "  checks",
        t((x) => x.checksMs),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        "  stop + cleanup (0: shutdown check)",
        t((x) => x.stopMs),
      )}\n`,
    );
  }
  const p50Sandboxed = median(samples.bwrap.map((x) => x.wallMs));
  const p50Unsafe = median(samples["unsafe-local"].map((x) => x.wallMs));
  const ratio = p50Sandboxed / p50Unsafe;
  process.stdout.write(
    `\np50 sandboxed ${Math.round(p50Sandboxed)} ms (target <= ${TARGET_P50_MS}: ${p50Sandboxed <= TARGET_P50_MS ? "met" : "MISSED"})\n` +
      `ratio sandboxed/unsafe p50 ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "met" : "MISSED"})\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:grade: ${(err as Error).message}\n`);
  process.exit(1);
});

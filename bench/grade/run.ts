// npm run bench:grade -- [--lab hello-server] [--lang python] [--runs 20]
// Grades a lab's reference solution N times sandboxed (bwrap) and N times as a plain process
// (SANDBOX=unsafe-local), interleaved so both see the same machine load, and prints p50/p95 of
// each, their ratio, and where the time goes from the grader's own timings. The first-byte time is
// split further by two probes run N times per mode in the same loop: the runtime's interpreter
// printing one line, and the same after importing the SDK.
// Targets: p50 <= 1500 ms sandboxed; sandboxed/unsafe p50 ratio <= 1.25.
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "../../conformance/cli/args.ts";
import type { GradeTimings } from "../../conformance/events.ts";
import { gradeSubmission } from "../../conformance/grade.ts";
import { checkIsolation, defaultLimits, launchServer } from "../../sandbox/index.ts";
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

type Lang = "python" | "typescript";
type Probe = "interpreter" | "sdk";
const PROBES: Probe[] = ["interpreter", "sdk"];

/**
 * Probe servers (bench/grade/probes/<lang>-<probe>/): each writes one line to stdout and then waits. They are started exactly as a
 * learner's server is (launchServer: `python /app/server.py` / `node /app/server.ts`, same sandbox,
 * same limits), so "launch -> first byte" has the same basis as the graded run's first-byte row.
 */
const entryOf = (lang: Lang) => (lang === "python" ? "server.py" : "server.ts");
const probeDir = (lang: Lang, probe: Probe) => path.join(import.meta.dirname, "probes", `${lang}-${probe}`);

/** ms from calling launchServer to the probe's first byte on stdout. */
async function probeOnce(dir: string, lang: Lang, isolation: Mode): Promise<number> {
  const started = performance.now();
  const server = await launchServer({
    sourceDir: dir,
    language: lang,
    entry: entryOf(lang),
    transport: "stdio",
    limits: defaultLimits,
    isolation,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout.once("data", () => resolve());
      void server.exited.then((exit) =>
        reject(new Error(`probe ended before writing: ${JSON.stringify(exit)}\n${server.stderrText()}`)),
      );
    });
    return performance.now() - started;
  } finally {
    await server.stop();
  }
}

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function row(label: string, values: number[]): string {
  return `${label.padEnd(40)} p50 ${String(Math.round(median(values))).padStart(5)} ms   p95 ${String(Math.round(percentile(values, 95))).padStart(5)} ms`;
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
  const probes: Record<Mode, Record<Probe, number[]>> = {
    bwrap: { interpreter: [], sdk: [] },
    "unsafe-local": { interpreter: [], sdk: [] },
  };
  process.stdout.write(
    `bench:grade ${lab} ${lang} solution, ${runs} runs per mode (after one warm-up each), interleaved\n` +
      `${new Date().toISOString()}, node ${process.versions.node}, ${cpus().length} cpus, ` +
      `load average (1/5/15 min) at start ${loadNow()}\n`,
  );
  for (const mode of ["bwrap", "unsafe-local"] as const) {
    await gradeOnce(lab, lang, mode, 0);
    for (const probe of PROBES) await probeOnce(probeDir(lang, probe), lang, mode);
  }
  for (let i = 1; i <= runs; i++) {
    for (const mode of ["bwrap", "unsafe-local"] as const) {
      const s = await gradeOnce(lab, lang, mode, i);
      if (s.status !== "pass") throw new Error(`run ${i} (${mode}) did not pass: ${s.status}`);
      samples[mode].push(s);
      for (const probe of PROBES)
        probes[mode][probe].push(await probeOnce(probeDir(lang, probe), lang, mode));
    }
    process.stderr.write(".");
  }
  process.stderr.write("\n");
  const runtimeName = lang === "python" ? "python" : "node";
  const sdkImport =
    lang === "python" ? "import mcp.server.mcpserver" : "import the SDK's server/mcp.js and server/stdio.js";

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
    // Where first-byte time goes: the probes, measured on the same basis (launch -> first byte).
    const interpreter = probes[mode].interpreter;
    const withSdk = probes[mode].sdk;
    process.stdout.write(`${row(`    probe: ${runtimeName} prints a line`, interpreter)}\n`);
    process.stdout.write(`${row(`    probe: ${runtimeName} + SDK import, prints`, withSdk)}\n`);
    const firstByte = median(t((x) => x.firstByteMs));
    const interpreterMs = median(interpreter);
    const sdkMs = median(withSdk) - interpreterMs;
    const rest = firstByte - interpreterMs - sdkMs;
    // Medians of separate runs: on a loaded machine their difference can come out below zero.
    const restWords = rest < 0 ? " (below zero: within the run-to-run noise of these p50s)" : "";
    process.stdout.write(
      `    of which (p50s) launch + interpreter ${Math.round(interpreterMs)} ms, SDK import ${Math.round(sdkMs)} ms ` +
        `(${sdkImport}), the server's own start-up ${Math.round(rest)} ms${restWords}\n`,
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
    `\nload average (1/5/15 min) at end ${loadNow()}\n` +
      `p50 sandboxed ${Math.round(p50Sandboxed)} ms (target <= ${TARGET_P50_MS}: ${p50Sandboxed <= TARGET_P50_MS ? "met" : "MISSED"})\n` +
      `ratio sandboxed/unsafe p50 ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "met" : "MISSED"})\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:grade: ${(err as Error).message}\n`);
  process.exit(1);
});

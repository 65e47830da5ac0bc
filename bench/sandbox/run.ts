// Sandbox overhead benchmark: p50/p90 of start-up work, sandboxed (bwrap) vs unsandboxed
// (SANDBOX=unsafe-local through the same launchServer) vs a raw spawn of the runtime binary.
//   npx tsx bench/sandbox/run.ts [--n 20]
// Needs root and scripts/install-runtimes.sh (like the sandbox itself).
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cgroupBases } from "../../sandbox/cgroup.ts";
import { resolveOptions } from "../../sandbox/config.ts";
import { checkIsolation, defaultLimits, type LaunchRequest, launchServer } from "../../sandbox/index.ts";
import { loadRuntime } from "../../sandbox/runtime.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");
const nArg = process.argv.indexOf("--n");
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 20;

type Mode = "raw" | "unsafe-local" | "bwrap";
type Language = LaunchRequest["language"];

interface Case {
  name: string;
  language: Language;
  dir: string;
  /** "exit": time until the process is gone; "initialize": time until the initialize reply. */
  until: "exit" | "initialize";
}

const CASES: Case[] = [
  { name: "python -c pass", language: "python", dir: path.join(HERE, "fixtures/python-pass"), until: "exit" },
  {
    name: "python SDK import",
    language: "python",
    dir: path.join(HERE, "fixtures/python-sdk-import"),
    until: "exit",
  },
  { name: "node start", language: "typescript", dir: path.join(HERE, "fixtures/node-start"), until: "exit" },
  {
    name: "node SDK import",
    language: "typescript",
    dir: path.join(HERE, "fixtures/node-sdk-import"),
    until: "exit",
  },
  {
    name: "python SDK server initialize",
    language: "python",
    dir: path.join(REPO, "tests/fixtures/hostile/hello-python"),
    until: "initialize",
  },
  {
    name: "TS SDK server initialize",
    language: "typescript",
    dir: path.join(REPO, "tests/fixtures/hostile/hello-typescript"),
    until: "initialize",
  },
];

const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
})}\n`;

function entry(language: Language): string {
  return language === "python" ? "server.py" : "server.ts";
}

function firstLine(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer | string) => {
      if (chunk.toString().includes("\n")) {
        stream.off("data", onData);
        resolve();
      }
    };
    stream.on("data", onData);
    stream.once("end", () => reject(new Error("no reply")));
  });
}

const peaks = new Map<string, number[]>();

/** One measured run; returns milliseconds from "start it" to the case's end point. */
async function once(c: Case, mode: Mode): Promise<number> {
  const t0 = performance.now();
  if (mode === "raw") {
    const rt = await loadRuntime(resolveOptions().runtimesRoot);
    if (!rt) throw new Error("runtimes missing: run scripts/install-runtimes.sh");
    const bin = c.language === "python" ? rt.pythonBin : rt.nodeBin;
    const child = spawn(bin, [path.join(c.dir, entry(c.language))], {
      cwd: c.dir,
      env: { PATH: "/usr/bin:/bin" } as Record<string, string> as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "inherit"],
    });
    if (c.until === "initialize") {
      child.stdin.write(INITIALIZE);
      await firstLine(child.stdout);
      const ms = performance.now() - t0;
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      return ms;
    }
    child.stdout.resume();
    await new Promise((r) => child.once("exit", r));
    return performance.now() - t0;
  }
  const server = await launchServer({
    sourceDir: c.dir,
    language: c.language,
    entry: entry(c.language),
    transport: "stdio",
    limits: defaultLimits,
    isolation: mode,
  });
  if (c.until === "initialize") {
    server.stdin.write(INITIALIZE);
    await firstLine(server.stdout);
    const ms = performance.now() - t0;
    if (mode === "bwrap" && server.runId) {
      const mem = (await cgroupBases()).memory;
      const peak = mem
        ? Number(
            await readFile(path.join(mem, server.runId, "memory.max_usage_in_bytes"), "utf8").catch(
              () => "0",
            ),
          )
        : 0;
      peaks.set(c.name, [...(peaks.get(c.name) ?? []), peak / 2 ** 20]);
    }
    await server.stop();
    return ms;
  }
  server.stdout.resume();
  const exit = await server.exited;
  if (exit.reason !== "exited" || exit.code !== 0)
    throw new Error(`${c.name} (${mode}) ended ${JSON.stringify(exit)}`);
  return performance.now() - t0;
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

// Raw mode: TS fixtures live in the repo, so Node resolves the SDK from the repo's node_modules
// (same pinned versions as the runtime's).
async function main(): Promise<void> {
  const report = await checkIsolation();
  if (!report.ok) {
    console.error(report.details.join("\n"));
    process.exit(1);
  }
  process.env.SANDBOX = "unsafe-local";
  const modes: Mode[] = ["raw", "unsafe-local", "bwrap"];
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  console.log(
    `sandbox bench: N=${N} per cell, ${new Date().toISOString()}, node ${process.versions.node}, ` +
      `${cpus().length} cpus, load average at start ${load()}`,
  );
  console.log("| case | raw spawn p50 | unsandboxed p50 | sandboxed p50 | sandboxed p90 | ratio (p50) |");
  console.log("|---|---|---|---|---|---|");
  for (const c of CASES) {
    const times: Record<Mode, number[]> = { raw: [], "unsafe-local": [], bwrap: [] };
    for (const mode of modes) await once(c, mode); // warm-up (page cache, bytecode caches)
    for (let i = 0; i < N; i++) {
      // Interleaved so drift on a shared machine hits all modes alike.
      for (const mode of modes) times[mode].push(await once(c, mode));
    }
    const p50 = (m: Mode) => pct(times[m], 50);
    console.log(
      `| ${c.name} | ${p50("raw").toFixed(0)} ms | ${p50("unsafe-local").toFixed(0)} ms | ${p50("bwrap").toFixed(0)} ms | ${pct(times.bwrap, 90).toFixed(0)} ms | ${(p50("bwrap") / p50("unsafe-local")).toFixed(2)} |`,
    );
  }
  console.log(`load average at end ${load()}`);
  for (const [name, values] of peaks) {
    console.log(
      `peak memory (cgroup max_usage) of ${name}: p50 ${pct(values, 50).toFixed(0)} MiB, max ${Math.max(...values).toFixed(0)} MiB`,
    );
  }
}

await main();

// Opt-in (lab.yaml conformanceSuite): scenarios of @modelcontextprotocol/conformance as checks,
// one check per scenario. Runs the suite's CLI (it needs Node >= 22: we spawn the Node that runs
// us, which the project pins at 24) against the server's TCP URL and maps its checks.json.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import type { CheckContext, CheckDefinition } from "./check-api.ts";

const SuiteCheckSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  status: z.enum(["SUCCESS", "FAILURE", "WARNING", "INFO", "SKIPPED"]),
  errorMessage: z.string().optional(),
  specReferences: z.array(z.object({ id: z.string(), url: z.string().optional() })).optional(),
  details: z.unknown().optional(),
});
export type SuiteCheck = z.infer<typeof SuiteCheckSchema>;

/** The suite's CLI script (the package has no main/exports to resolve, only a bin). */
function suiteCli(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const candidate = path.join(
      dir,
      "node_modules",
      "@modelcontextprotocol",
      "conformance",
      "dist",
      "index.js",
    );
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("@modelcontextprotocol/conformance is not installed");
    dir = parent;
  }
}

/** "https://modelcontextprotocol.io/specification/2025-11-25/basic/x#y" -> "2025-11-25/basic/x#y" */
export function specRefOf(url: string | undefined): string | undefined {
  const m = url?.match(/\/specification\/(.+)$/);
  return m ? m[1] : undefined;
}

function requireNode22(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22)
    throw new Error(
      `the official conformance suite needs Node >= 22; this grader runs Node ${process.versions.node}`,
    );
}

/** The suite's server scenario names (`conformance list --server`), for validating a selection. */
export async function listServerScenarios(): Promise<string[]> {
  requireNode22();
  const child = spawn(process.execPath, [suiteCli(), "list", "--server"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => {
    output += c.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  // Lines look like "  - server-initialize [2025-06-18,2025-11-25]".
  const names = [...output.matchAll(/^\s*-\s+([a-z0-9][a-z0-9-]*)/gm)].map((m) => m[1]);
  if (code !== 0 || names.length === 0)
    throw new Error(`the suite could not list its scenarios: ${output.slice(-300)}`);
  return names;
}

/** Runs one scenario; resolves with its checks (from checks.json). */
export async function runScenario(url: string, scenario: string, signal: AbortSignal): Promise<SuiteCheck[]> {
  requireNode22();
  const out = await mkdtemp(path.join(tmpdir(), "mcp-lab-suite-"));
  try {
    const child = spawn(
      process.execPath,
      [suiteCli(), "server", "--url", url, "--scenario", scenario, "-o", out],
      {
        stdio: ["ignore", "pipe", "pipe"],
        signal,
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", () => resolve());
    });
    const dirs = await readdir(out);
    const dir = dirs.find((d) => d.includes(scenario));
    if (!dir) throw new Error(`the suite wrote no results for ${scenario}: ${output.slice(-500)}`);
    const raw = JSON.parse(await readFile(path.join(out, dir, "checks.json"), "utf8")) as unknown;
    return z.array(SuiteCheckSchema).parse(raw);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function summarize(c: SuiteCheck): string {
  const refs = (c.specReferences ?? []).map((r) => specRefOf(r.url) ?? r.id).join(", ");
  return `${c.id}: ${c.errorMessage ?? c.description ?? c.name ?? ""}${refs ? ` (spec ${refs})` : ""}`;
}

export interface SuiteConfig {
  scenarios: string[];
  expectedFailures: string[];
  severity: "must" | "should";
}

/** One check per scenario. A FAILURE fails it (unless listed in expectedFailures); WARNINGs are reported. */
export function officialSuiteChecks(
  config: SuiteConfig,
  lesson = "m8/production-checklist",
): CheckDefinition[] {
  return config.scenarios.map((scenario) => ({
    id: `suite-${scenario}`,
    title: `official conformance suite: ${scenario}`,
    severity: config.severity,
    lesson,
    area: "official-suite",
    timeoutMs: 60_000,
    appliesTo: (server) => server.transport === "http" || "the official suite tests Streamable HTTP servers",
    async run(ctx: CheckContext) {
      if (!ctx.http) return ctx.expect.fail("This check needs a Streamable HTTP server.");
      const checks = await runScenario(await ctx.http.tcpUrl(), scenario, ctx.signal);
      const failures = checks.filter(
        (c) => c.status === "FAILURE" && !config.expectedFailures.includes(c.id),
      );
      const expected = checks.filter((c) => c.status === "FAILURE" && config.expectedFailures.includes(c.id));
      const warnings = checks.filter((c) => c.status === "WARNING");
      if (failures.length) {
        return ctx.expect.fail(
          `The official suite's ${scenario} failed ${failures.length} of ${checks.length} checks:\n${failures.map(summarize).join("\n")}`,
          {
            actual: failures.map((f) => ({ id: f.id, details: f.details })),
          },
        );
      }
      const passed = checks.filter((c) => c.status === "SUCCESS").length;
      const notes = [
        warnings.length ? `warnings: ${warnings.map(summarize).join("; ")}` : "",
        expected.length ? `expected failures: ${expected.map((c) => c.id).join(", ")}` : "",
      ].filter(Boolean);
      return `${passed}/${checks.length} suite checks passed${notes.length ? `; ${notes.join("; ")}` : ""}`;
    },
  }));
}

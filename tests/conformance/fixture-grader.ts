// Grades one folder of tests/fixtures/servers the way the product would: sandboxed, with its lab's
// checks when its name starts with a lab id (hello-server-*, schemas-*), else with every built-in
// protocol check. An optional fixture.json sets transport and start timeout.
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { builtInChecks } from "../../conformance/check-catalog.ts";
import { gradeDirectory, limitsFor, loadLabPlan } from "../../conformance/grade.ts";
import { listLabIds } from "../../conformance/lab-config.ts";
import type { GradeResult } from "../../conformance/result.ts";
import { defaultLimits } from "../../sandbox/index.ts";

export const FIXTURES_ROOT = path.resolve(import.meta.dirname, "../fixtures/servers");
export const FIXTURE_SEED = 4242;

const FixtureConfigSchema = z
  .object({
    transport: z.enum(["stdio", "http"]).default("stdio"),
    startTimeoutMs: z.number().int().positive().optional(),
  })
  .strict();

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

export async function gradeFixture(
  name: string,
  options: { isolation?: "bwrap" | "unsafe-local" } = {},
): Promise<GradeResult> {
  const dir = path.join(FIXTURES_ROOT, name);
  const lang = (await exists(path.join(dir, "server.py"))) ? "python" : "typescript";
  const entry = lang === "python" ? "server.py" : "server.ts";
  const configFile = path.join(dir, "fixture.json");
  const config = FixtureConfigSchema.parse(
    (await exists(configFile)) ? JSON.parse(await readFile(configFile, "utf8")) : {},
  );
  const labId = (await listLabIds()).find((id) => name.startsWith(`${id}-`));
  if (labId) {
    const plan = await loadLabPlan(labId);
    if (!plan.ok) throw new Error(plan.error);
    const { lab, checks, environment } = plan.value;
    const { result } = await gradeDirectory({
      sourceDir: dir,
      lang,
      entry,
      transport: lab.transport,
      httpPath: lab.httpPath,
      checks,
      limits: limitsFor(lab),
      lab: lab.id,
      seed: FIXTURE_SEED,
      startTimeoutMs: config.startTimeoutMs ?? lab.startTimeoutMs,
      checkTimeoutMs: lab.checkTimeoutMs,
      isolation: options.isolation,
      environment,
      clientCapabilities: lab.client?.capabilities,
    });
    return result;
  }
  const { result } = await gradeDirectory({
    sourceDir: dir,
    lang,
    entry,
    transport: config.transport,
    checks: [...builtInChecks],
    limits: defaultLimits,
    lab: null,
    seed: FIXTURE_SEED,
    startTimeoutMs: config.startTimeoutMs,
    isolation: options.isolation,
  });
  return result;
}

/** What expected.json holds: the verdict and each check's status (no timings, no messages). */
export function goldenOf(result: GradeResult): {
  status: string;
  verdict: string;
  checks: Record<string, string>;
} {
  return {
    status: result.status,
    verdict: result.verdict,
    checks: Object.fromEntries(result.checks.map((c) => [c.id, c.status])),
  };
}

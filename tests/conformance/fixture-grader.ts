// Grades one folder of tests/fixtures/servers the way the product would: sandboxed, with its lab's
// checks when its name starts with a lab id (hello-server-*, schemas-*), else with every built-in
// protocol check. An optional fixture.json sets transport and start timeout; a broken lab fixture is
// a patch against its lab's solution, built in a temp dir for the run (tests/fixtures/materialize.ts).
import { access } from "node:fs/promises";
import path from "node:path";
import { builtInChecks } from "../../conformance/check-catalog.ts";
import { gradeDirectory, limitsFor, loadLabPlan } from "../../conformance/grade.ts";
import { listLabIds } from "../../conformance/lab-config.ts";
import type { GradeResult } from "../../conformance/result.ts";
import { defaultLimits } from "../../sandbox/index.ts";
import {
  type FixtureConfig,
  materializeFixture,
  readFixtureConfig,
  SERVERS_DIR,
} from "../fixtures/materialize.ts";

export const FIXTURES_ROOT = SERVERS_DIR;
export const FIXTURE_SEED = 4242;

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
  const config = await readFixtureConfig(path.join(FIXTURES_ROOT, name));
  const built = await materializeFixture(name);
  try {
    return await gradeBuilt(name, built.dir, config, options.isolation);
  } finally {
    await built.cleanup();
  }
}

async function gradeBuilt(
  name: string,
  dir: string,
  config: FixtureConfig,
  isolation: "bwrap" | "unsafe-local" | undefined,
): Promise<GradeResult> {
  const lang = (await exists(path.join(dir, "server.py"))) ? "python" : "typescript";
  const entry = lang === "python" ? "server.py" : "server.ts";
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
      isolation,
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
    isolation,
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

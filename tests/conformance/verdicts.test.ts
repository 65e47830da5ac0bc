// Hostile servers (the sandbox's fixtures) graded end to end: each way a run can go wrong becomes
// the verdict that names it, with a message a learner can act on.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtInChecks } from "../../conformance/check-catalog.ts";
import { gradeDirectory } from "../../conformance/grade.ts";
import { defaultLimits, type SandboxLimits } from "../../sandbox/index.ts";
import { sandboxMode } from "./sandbox-mode.ts";

const HOSTILE = path.resolve(import.meta.dirname, "../fixtures/hostile");
let isolation: "bwrap" | "unsafe-local" = "bwrap";
beforeAll(async () => {
  isolation = await sandboxMode();
});

async function grade(name: string, limits: Partial<SandboxLimits>, startTimeoutMs = 10_000) {
  const { result } = await gradeDirectory({
    sourceDir: path.join(HOSTILE, name),
    lang: "python",
    entry: "server.py",
    transport: "stdio",
    checks: [...builtInChecks],
    limits: { ...defaultLimits, ...limits },
    lab: null,
    seed: 1,
    startTimeoutMs,
    isolation,
  });
  return result;
}

describe("limits and failures become verdicts", () => {
  it("a server that dies on start did not start, and says why from its stderr", async () => {
    const r = await grade("crash-on-start", {});
    expect(r).toMatchObject({ status: "fail", verdict: "did-not-start", score: 0 });
    expect(r.message).toContain("exited with code 1 before it answered initialize");
    expect(r.message).toContain("configuration missing");
    expect(
      r.checks.every((c) => c.status === "skipped" && c.message === "skipped: the server did not start"),
    ).toBe(true);
  }, 60_000);

  it("endless allocation is memory-limit, in megabytes", async () => {
    const r = await grade("memory-hog", { memoryMb: 64 });
    expect(r.verdict).toBe("memory-limit");
    expect(r.message).toContain("more than the 64 MB memory limit");
  }, 60_000);

  it("a flood of output is output-limit, and the result says it was truncated", async () => {
    const r = await grade("output-flood", { outputKb: 64 });
    expect(r.verdict).toBe("output-limit");
    expect(r.message).toContain("output truncated at 64 KB");
    expect(r.stderr.length).toBeLessThanOrEqual(64 * 1024);
  }, 60_000);

  it("a server that sleeps past the wall time is timeout", async () => {
    const r = await grade("sleeper", { wallMs: 1500 }, 10_000);
    expect(r.verdict).toBe("timeout");
    expect(r.message).toContain("1.5 s wall time");
  }, 60_000);
});

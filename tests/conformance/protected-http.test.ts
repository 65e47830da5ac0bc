// Grading a protected Streamable HTTP server (one that refuses every request without the run's
// bearer secret) with the transport checks and the official suite: built-in raw-HTTP checks wrapped
// with withHttpHeaders carry the token, the official suite gets it from the TCP bridge, and check
// areas reach the result with a readiness summary. Real grader, real sandbox.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckContext } from "../../conformance/check-api.ts";
import { getBuiltInCheck } from "../../conformance/check-catalog.ts";
import { gradeDirectory } from "../../conformance/grade.ts";
import { officialSuiteChecks } from "../../conformance/official-suite.ts";
import { withHttpHeaders } from "../../conformance/reusable-checks.ts";
import { defaultLimits } from "../../sandbox/index.ts";
import { environment } from "../fixtures/labs/header-probe/checks.ts";
import { sandboxMode } from "./sandbox-mode.ts";

let isolation: "bwrap" | "unsafe-local" = "bwrap";
beforeAll(async () => {
  isolation = await sandboxMode();
});

const SERVER = path.resolve(import.meta.dirname, "../fixtures/labs/header-probe/server");
const secret = (ctx: CheckContext) => ({
  authorization: `Bearer ${(ctx.environment as { secret: string }).secret}`,
});
const builtIn = (id: string) => {
  const check = getBuiltInCheck(id);
  if (!check) throw new Error(`no built-in check ${id}`);
  return check;
};

describe("a protected HTTP server", () => {
  it("passes the wrapped transport checks and the official suite; unwrapped, a raw check meets 401", async () => {
    const { result } = await gradeDirectory({
      sourceDir: SERVER,
      lang: "python",
      entry: "server.py",
      transport: "http",
      checks: [
        { ...builtIn("initialize-handshake"), area: "protocol" },
        { ...withHttpHeaders(builtIn("http-notification-accepted"), secret), area: "transport" },
        { ...withHttpHeaders(builtIn("http-origin-forbidden"), secret), area: "transport" },
        { ...builtIn("http-protocol-version-header"), id: "unwrapped-version-header", area: "transport" },
        ...officialSuiteChecks({ scenarios: ["ping"], expectedFailures: [], severity: "must" }),
      ],
      limits: defaultLimits,
      lab: null,
      seed: 3,
      isolation,
      environment,
    });
    const status = Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
    expect(status, JSON.stringify(result.checks, null, 1)).toEqual({
      "initialize-handshake": "pass",
      "http-notification-accepted": "pass",
      "http-origin-forbidden": "pass",
      "unwrapped-version-header": "fail",
      "suite-ping": "pass",
    });
    expect(result.checks.find((c) => c.id === "unwrapped-version-header")?.message).toMatch(/answered 401/);
    expect(result.checks.map((c) => c.area)).toEqual([
      "protocol",
      "transport",
      "transport",
      "transport",
      "official-suite",
    ]);
    expect(result.readiness).toEqual({
      score: 88,
      areas: [
        { area: "protocol", passed: 1, failed: 0, skipped: 0, total: 1 },
        { area: "transport", passed: 2, failed: 1, skipped: 0, total: 3 },
        { area: "official-suite", passed: 1, failed: 0, skipped: 0, total: 1 },
      ],
    });
  }, 120_000);
});

// The official @modelcontextprotocol/conformance suite, wrapped as opt-in checks, against sandboxed
// HTTP fixtures reached through the grader's loopback TCP bridge.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gradeDirectory } from "../../conformance/grade.ts";
import { officialSuiteChecks, specRefOf } from "../../conformance/official-suite.ts";
import { defaultLimits } from "../../sandbox/index.ts";
import { FIXTURES_ROOT } from "./fixture-grader.ts";
import { sandboxMode } from "./sandbox-mode.ts";

let isolation: "bwrap" | "unsafe-local" = "bwrap";
beforeAll(async () => {
  isolation = await sandboxMode();
});

const SCENARIOS = ["server-initialize", "ping", "tools-list", "dns-rebinding-protection"];

async function gradeWithSuite(fixture: string) {
  const { result } = await gradeDirectory({
    sourceDir: path.join(FIXTURES_ROOT, fixture),
    lang: "typescript",
    entry: "server.ts",
    transport: "http",
    checks: officialSuiteChecks({ scenarios: SCENARIOS, expectedFailures: [], severity: "must" }),
    limits: defaultLimits,
    lab: null,
    seed: 1,
    isolation,
  });
  return result;
}

describe("official conformance suite checks", () => {
  it("maps spec URLs to our specRef form", () => {
    expect(
      specRefOf("https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning"),
    ).toBe("2025-11-25/basic/transports#security-warning");
    expect(specRefOf(undefined)).toBeUndefined();
  });

  it("passes the generic scenarios on a correct HTTP server", async () => {
    const result = await gradeWithSuite("http-good");
    expect(result.checks.map((c) => [c.id, c.status])).toEqual(SCENARIOS.map((s) => [`suite-${s}`, "pass"]));
    expect(result.verdict).toBe("passed");
  }, 120_000);

  it("fails dns-rebinding-protection on a server that ignores Origin, saying which suite check failed", async () => {
    const result = await gradeWithSuite("http-foreign-origin");
    const dns = result.checks.find((c) => c.id === "suite-dns-rebinding-protection");
    expect(dns?.status).toBe("fail");
    expect(dns?.message).toContain("localhost-host-rebinding-rejected");
    expect(
      result.checks
        .filter((c) => c.id !== "suite-dns-rebinding-protection")
        .every((c) => c.status === "pass"),
    ).toBe(true);
  }, 120_000);
});

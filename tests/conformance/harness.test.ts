// The check runner's contract, against a real sandboxed server: outcome mapping (pass, fail,
// error, skipped), prerequisites, per-check timeouts, warnings, seeds, applicability and events.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type CheckContext, type CheckDefinition, CheckFailure } from "../../conformance/check-api.ts";
import type { GradeEvent } from "../../conformance/events.ts";
import { gradeDirectory } from "../../conformance/grade.ts";
import { defaultLimits } from "../../sandbox/index.ts";
import { FIXTURES_ROOT } from "./fixture-grader.ts";
import { sandboxMode } from "./sandbox-mode.ts";

let isolation: "bwrap" | "unsafe-local" = "bwrap";
beforeAll(async () => {
  isolation = await sandboxMode();
});

async function grade(checks: CheckDefinition[], seed = 11, onEvent?: (e: GradeEvent) => void) {
  const { result } = await gradeDirectory({
    sourceDir: path.join(FIXTURES_ROOT, "good-typescript"),
    lang: "typescript",
    entry: "server.ts",
    transport: "stdio",
    checks,
    limits: defaultLimits,
    lab: "test-lab",
    seed,
    checkTimeoutMs: 5000,
    isolation,
    onEvent,
  });
  return result;
}

const base = { severity: "must" as const, lesson: "m2/getting-started" };
const words: Record<string, string> = {};

const checks: CheckDefinition[] = [
  {
    ...base,
    id: "passes-with-message",
    title: "a passing check",
    async run(ctx: CheckContext) {
      const result = await ctx.callTool("find_book", { query: "dune" });
      const out = ctx.expect.structuredMatches(result, z.object({ ids: z.array(z.string()) }));
      words["passes-with-message"] = ctx.random.word();
      return `found ${out.ids.join(",")}`;
    },
  },
  {
    ...base,
    id: "fails-with-details",
    title: "a failing check",
    hint: "the check's own hint",
    async run(ctx: CheckContext) {
      await ctx.callTool("find_book", { query: "solaris" });
      words["fails-with-details"] = ctx.random.word();
      ctx.expect.equal(1, 2, "one is not two");
      return undefined;
    },
  },
  {
    ...base,
    id: "needs-the-failed-one",
    title: "skipped",
    requires: ["fails-with-details"],
    run: () => "never runs",
  },
  {
    ...base,
    id: "rpc-error-uncaught",
    title: "an uncaught JSON-RPC error",
    async run(ctx: CheckContext) {
      await ctx.request("no/such/method", { x: 1 });
      return undefined;
    },
  },
  {
    ...base,
    id: "hangs",
    title: "a check that never ends",
    timeoutMs: 300,
    run: () => new Promise<undefined>(() => undefined),
  },
  {
    ...base,
    id: "should-fails",
    title: "a should that fails",
    severity: "should",
    run: () => {
      throw new CheckFailure("only a warning", { hint: "h" });
    },
  },
  {
    ...base,
    id: "not-for-stdio",
    title: "n/a",
    appliesTo: () => "only for the test",
    run: () => "never runs",
  },
  {
    ...base,
    id: "our-bug",
    title: "a bug in a check",
    run: () => {
      throw new TypeError("boom at /secret/host/path");
    },
  },
];

describe("the check runner", () => {
  it("maps every outcome as documented", async () => {
    const events: GradeEvent[] = [];
    const result = await grade(checks, 11, (e) => events.push(e));
    const byId = Object.fromEntries(result.checks.map((c) => [c.id, c]));

    expect(byId["passes-with-message"]).toMatchObject({ status: "pass", message: "found 1" });

    expect(byId["fails-with-details"]).toMatchObject({
      status: "fail",
      message: "one is not two",
      expected: "2",
      actual: "1",
      hint: "the check's own hint",
      sent: 'tools/call {"name":"find_book","arguments":{"query":"solaris"}}',
      lesson: "m2/getting-started",
    });

    expect(byId["needs-the-failed-one"]).toMatchObject({
      status: "skipped",
      message: "skipped: fails-with-details failed first",
    });

    expect(byId["rpc-error-uncaught"].status).toBe("fail");
    expect(byId["rpc-error-uncaught"].message).toContain("JSON-RPC error -32601");
    expect(byId["rpc-error-uncaught"].sent).toBe('no/such/method {"x":1}');

    expect(byId.hangs).toMatchObject({ status: "fail" });
    expect(byId.hangs.message).toContain("did not finish within 0.3 s");

    expect(byId["should-fails"]).toMatchObject({ status: "fail", severity: "should" });
    expect(byId["not-for-stdio"]).toBeUndefined();

    expect(byId["our-bug"].status).toBe("error");
    expect(byId["our-bug"].message).not.toContain("/secret/host/path");
    expect(result).toMatchObject({ status: "error", verdict: "infra-error" });

    expect(result.score).toBe(1);
    expect(result.maxScore).toBe(7);

    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === "check-finished")).toHaveLength(7);
    expect(types.at(-1)).toBe("finished");
    expect(events.some((e) => e.type === "log" && e.message.includes("not-for-stdio"))).toBe(true);
  }, 60_000);

  it("passes when every must passes, with should failures as warnings", async () => {
    const result = await grade(checks.filter((c) => ["passes-with-message", "should-fails"].includes(c.id)));
    expect(result).toMatchObject({ status: "pass", verdict: "passed", score: 1, maxScore: 2 });
    expect(result.message).toContain("1 warning (should): should-fails");
  }, 60_000);

  it("seeds inputs per (seed, check id): same seed, same words; another check, another stream", async () => {
    await grade(checks.slice(0, 2), 99);
    const first = { ...words };
    await grade(checks.slice(0, 2), 99);
    expect(words).toEqual(first);
    expect(first["passes-with-message"]).not.toBe(first["fails-with-details"]);
    await grade(checks.slice(0, 2), 100);
    expect(words["passes-with-message"]).not.toBe(first["passes-with-message"]);
  }, 90_000);
});

describe("gradeSubmission with files (the web's path)", () => {
  it("grades a path -> content map like a folder", async () => {
    const { readFile } = await import("node:fs/promises");
    const { gradeSubmission } = await import("../../conformance/grade.ts");
    const solution = path.resolve(
      import.meta.dirname,
      "../../labs/hello-server/solution/typescript/server.ts",
    );
    const events: string[] = [];
    const result = await gradeSubmission({
      labId: "hello-server",
      files: { "server.ts": await readFile(solution, "utf8") },
      lang: "typescript",
      seed: 5,
      isolation,
      onEvent: (e) => events.push(e.type),
    });
    expect(result).toMatchObject({ lab: "hello-server", lang: "typescript", seed: 5, status: "pass" });
    expect(events[0]).toBe("phase");
    expect(events).toContain("started");
    expect(events.at(-1)).toBe("finished");
    const refused = await gradeSubmission({
      labId: "hello-server",
      files: { "main.ts": "" },
      lang: "typescript",
      seed: 5,
    });
    expect(refused).toMatchObject({ status: "error", verdict: "bad-submission", checks: [] });
  }, 60_000);
});

// Readiness summaries (result `readiness`, from check areas) and combined lab environments: the pure
// parts of what the capstone lab adds to the engine.
import { describe, expect, it } from "vitest";
import { combineEnvironments, type LabEnvironment } from "../../conformance/lab-environment.ts";
import { readiness } from "../../conformance/readiness.ts";
import { type CheckResult, GradeResultSchema } from "../../conformance/result.ts";

const check = (id: string, status: CheckResult["status"], area?: string): CheckResult => ({
  id,
  title: id,
  severity: "must",
  status,
  message: status,
  durationMs: 1,
  ...(area ? { area } : {}),
});

describe("readiness", () => {
  it("is absent when no check carries an area", () => {
    expect(readiness([check("a", "pass"), check("b", "fail")])).toBeUndefined();
  });

  it("counts each area and averages the areas, so a small area weighs as much as a large one", () => {
    const summary = readiness([
      check("p1", "pass", "protocol"),
      check("p2", "pass", "protocol"),
      check("p3", "pass", "protocol"),
      check("s1", "fail", "security"),
      check("s2", "skipped", "security"),
      check("s3", "pass", "security"),
      check("s4", "error", "security"),
      check("loose", "pass"),
    ]);
    expect(summary?.areas).toEqual([
      { area: "protocol", passed: 3, failed: 0, skipped: 0, total: 3 },
      { area: "security", passed: 1, failed: 2, skipped: 1, total: 4 },
      { area: "other", passed: 1, failed: 0, skipped: 0, total: 1 },
    ]);
    // (1 + 0.25 + 1) / 3 = 0.75
    expect(summary?.score).toBe(75);
  });

  it("is 100 only when every check passed", () => {
    expect(readiness([check("a", "pass", "x"), check("b", "pass", "y")])?.score).toBe(100);
    const many = Array.from({ length: 299 }, (_, i) => check(`c${i}`, "pass", "x"));
    expect(readiness([...many, check("last", "fail", "x")])?.score).toBe(99);
  });

  it("fits the result schema, and a result without it still parses (backwards compatible)", () => {
    const base = {
      version: 1,
      lab: "capstone",
      lang: "python",
      seed: 1,
      status: "fail",
      verdict: "checks-failed",
      score: 1,
      maxScore: 2,
      durationMs: 5,
      runtime: {},
      limits: null,
      checks: [check("a", "pass", "contract"), check("b", "fail", "contract")],
      stderr: "",
      stderrTruncated: false,
      trace: [],
      traceTruncated: false,
    };
    expect(GradeResultSchema.safeParse(base).success).toBe(true);
    const withSummary = { ...base, readiness: readiness(base.checks as CheckResult[]) };
    expect(GradeResultSchema.parse(withSummary).readiness?.score).toBe(50);
    expect(GradeResultSchema.safeParse({ ...base, checks: [check("a", "pass", "Not A Slug")] }).success).toBe(
      false,
    );
  });
});

describe("combineEnvironments", () => {
  const input = { seed: 1, lang: null, log: () => undefined };
  const part =
    (name: string, fields: Partial<LabEnvironment>, closed: string[]) =>
    async (): Promise<LabEnvironment> => ({
      ...fields,
      state: { name },
      close: async () => {
        closed.push(name);
      },
    });

  it("merges the parts, keeps their states in order and closes them all", async () => {
    const closed: string[] = [];
    const env = await combineEnvironments(input, [
      part(
        "as",
        {
          env: { ISSUER: "http://127.0.0.1:9400" },
          services: [{ port: 9400, socketPath: "/s/as" }],
          httpHeaders: { authorization: "Bearer x" },
        },
        closed,
      ),
      part(
        "attacker",
        {
          env: { FETCH_ALLOWED_ORIGINS: "http://docs.test" },
          services: [{ port: 20_001, socketPath: "/s/up" }],
          hosts: { "docs.test": "127.0.0.1" },
          plantFiles: { "docs/a.md": "a" },
          symlinks: { "docs/l": "../secret" },
        },
        closed,
      ),
    ]);
    expect(env.env).toEqual({ ISSUER: "http://127.0.0.1:9400", FETCH_ALLOWED_ORIGINS: "http://docs.test" });
    expect(env.services?.map((s) => s.port)).toEqual([9400, 20_001]);
    expect(env.hosts).toEqual({ "docs.test": "127.0.0.1" });
    expect(env.plantFiles).toEqual({ "docs/a.md": "a" });
    expect(env.symlinks).toEqual({ "docs/l": "../secret" });
    expect(env.httpHeaders).toEqual({ authorization: "Bearer x" });
    expect(env.state).toEqual([{ name: "as" }, { name: "attacker" }]);
    await env.close();
    expect(closed.sort()).toEqual(["as", "attacker"]);
  });

  it("refuses parts that set the same name differently, or share a port, and closes what started", async () => {
    const closed: string[] = [];
    await expect(
      combineEnvironments(input, [
        part("a", { env: { PORT: "8000" } }, closed),
        part("b", { env: { PORT: "9000" } }, closed),
      ]),
    ).rejects.toThrow(/two parts set env PORT/);
    expect(closed.sort()).toEqual(["a", "b"]);
    await expect(
      combineEnvironments(input, [
        part("c", { services: [{ port: 9100, socketPath: "/1" }] }, closed),
        part("d", { services: [{ port: 9100, socketPath: "/2" }] }, closed),
      ]),
    ).rejects.toThrow(/port 9100/);
  });

  it("closes the parts already started when a later one fails to start", async () => {
    const closed: string[] = [];
    const failing = async (): Promise<LabEnvironment> => {
      throw new Error("could not listen");
    };
    await expect(combineEnvironments(input, [part("first", {}, closed), failing])).rejects.toThrow(
      "could not listen",
    );
    expect(closed).toEqual(["first"]);
  });
});

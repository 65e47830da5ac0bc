// Pure parts of the engine: seeded randomness, JSON Schema handling, lab.yaml, submissions,
// verdicts, argument parsing.
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../conformance/cli/args.ts";
import { listLabIds, loadLabConfig, parseLabConfig } from "../../conformance/lab-config.ts";
import { compileToolSchema, violatingArguments } from "../../conformance/protocol-checks/json-schema.ts";
import { createRandom } from "../../conformance/random.ts";
import { exitCodeForStatus, statusForVerdict } from "../../conformance/result.ts";
import { readSubmissionFiles } from "../../conformance/submission.ts";
import { decideVerdict } from "../../conformance/verdict.ts";

describe("seeded randomness", () => {
  it("is reproducible per (seed, stream) and differs across streams", () => {
    const a = createRandom(5, "x");
    const b = createRandom(5, "x");
    const c = createRandom(5, "y");
    const wa = a.words(5);
    expect(b.words(5)).toEqual(wa);
    expect(c.words(5)).not.toEqual(wa);
    expect(new Set(wa).size).toBe(5);
    for (const w of wa) expect(w).toMatch(/^[a-z]{6,10}$/);
    const r = createRandom(1);
    for (let i = 0; i < 100; i++) {
      const n = r.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
  });
});

describe("tool schemas", () => {
  it("accepts 2020-12 (default) and draft-07 object schemas", () => {
    expect(compileToolSchema({ type: "object", properties: { a: { type: "string" } } }).ok).toBe(true);
    expect(compileToolSchema({ $schema: "http://json-schema.org/draft-07/schema#", type: "object" }).ok).toBe(
      true,
    );
  });

  it("says what is wrong with a bad one", () => {
    const cases: [unknown, string][] = [
      [null, "null"],
      [{ type: "string" }, 'must be "object"'],
      [{ type: "object", properties: { a: { type: "strng" } } }, "not a valid JSON Schema"],
      [{ $schema: "https://example.org/mine", type: "object" }, "not a dialect"],
    ];
    for (const [schema, words] of cases) {
      const r = compileToolSchema(schema);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).toContain(words);
    }
  });

  it("generates arguments that the schema itself rejects", () => {
    const word = () => "w";
    const schemas: Record<string, unknown>[] = [
      { type: "object", properties: { q: { type: "string" }, n: { type: "integer" } }, required: ["q"] },
      {
        type: "object",
        properties: { n: { anyOf: [{ type: "integer" }, { type: "null" }] } },
        required: ["n"],
      },
      { type: "object", properties: { tags: { type: "array", items: { type: "string" } } } },
      { type: "object", properties: { mode: { enum: ["a", "b"] } }, required: ["mode"] },
    ];
    for (const schema of schemas) {
      const compiled = compileToolSchema(schema);
      if (!compiled.ok) throw new Error(compiled.problem);
      const v = violatingArguments(schema, compiled.validate, word);
      expect(v, JSON.stringify(schema)).not.toBeNull();
      expect(compiled.validate(v?.args)).toBe(false);
    }
    const anything = { type: "object" };
    const compiled = compileToolSchema(anything);
    if (!compiled.ok) throw new Error(compiled.problem);
    expect(violatingArguments(anything, compiled.validate, word)).toBeNull();
  });
});

describe("lab.yaml", () => {
  const valid = `
id: demo-lab
title: Demo
module: 2
summary: A demo.
transport: stdio
languages: [python]
entry: { python: server.py }
limits: { wallMs: 5000 }
`;
  it("parses with defaults", () => {
    const r = parseLabConfig(valid);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.value).toMatchObject({
        checkTimeoutMs: 5000,
        protocolChecks: "all",
        httpPath: "/mcp",
        limits: { wallMs: 5000 },
      });
  });

  it("refuses unknown keys, missing entries and bad limits, naming them", () => {
    const bad = [
      [`${valid}colour: red\n`, 'Unrecognized key: "colour"'],
      [
        valid.replace("languages: [python]", "languages: [python, typescript]"),
        "entry.typescript: no entry file for typescript",
      ],
      [valid.replace("wallMs: 5000", "wallMs: 5"), "limits.wallMs"],
      ["id: [unclosed", "not valid YAML"],
    ];
    for (const [text, words] of bad) {
      const r = parseLabConfig(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(words);
    }
  });

  it("loads every lab in labs/", async () => {
    const ids = await listLabIds();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const r = await loadLabConfig(id);
      expect(r.ok, r.ok ? "" : r.error).toBe(true);
    }
    const missing = await loadLabConfig("no-such-lab");
    expect(missing.ok).toBe(false);
  });
});

describe("submitted files (web)", () => {
  it("refuses paths that leave the submission and missing entry files", () => {
    for (const [files, words] of [
      [{ "../x.py": "", "server.py": "" }, "relative path inside"],
      [{ "/etc/passwd": "", "server.py": "" }, 'Invalid file path "/etc/passwd"'],
      [{ "a b.py": "", "server.py": "" }, "letters, digits"],
      [{ "main.py": "" }, "has no server.py"],
    ] as const) {
      const r = readSubmissionFiles(files, "server.py");
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(words);
    }
    expect(readSubmissionFiles({ "server.py": "x", "pkg/util.py": "y" }, "server.py").ok).toBe(true);
  });
});

describe("verdicts", () => {
  const limits = {
    wallMs: 20_000,
    cpuSeconds: 15,
    memoryMb: 256,
    pids: 64,
    openFiles: 256,
    fileSizeKb: 1024,
    outputKb: 256,
  };
  const common = {
    results: [],
    exitedEarly: false,
    goneDuring: null,
    limits,
    stderr: "Traceback: boom\n",
    stdoutNoise: [],
    startTimeoutMs: 10_000,
  };

  it("names limits in words, not exit codes", () => {
    const oom = decideVerdict({
      ...common,
      exitedEarly: true,
      exit: { reason: "memory-limit", code: null, signal: "SIGKILL", durationMs: 1 },
    });
    expect(oom.verdict).toBe("memory-limit");
    expect(oom.message).toContain("256 MB");
    const out = decideVerdict({
      ...common,
      exitedEarly: true,
      exit: { reason: "output-limit", code: null, signal: "SIGKILL", durationMs: 1 },
    });
    expect(out).toMatchObject({ verdict: "output-limit" });
    expect(out.message).toContain("output truncated at 256 KB");
  });

  it("did-not-start carries the last stderr lines", () => {
    const v = decideVerdict({
      ...common,
      exit: undefined,
      connectFailure: {
        kind: "no-answer",
        message: "The server did not answer initialize within 10 s.",
        timedOut: true,
      },
    });
    expect(v.verdict).toBe("did-not-start");
    expect(v.message).toContain("Traceback: boom");
  });

  it("did-not-start says whether a silent server was computing or waiting, from its CPU time", () => {
    const silent = {
      kind: "no-answer" as const,
      message: "The server did not answer initialize within 10 s.",
      timedOut: true,
    };
    const stopped = {
      reason: "killed-by-grader" as const,
      code: null,
      signal: "SIGKILL",
      durationMs: 10_200,
    };
    const spinning = decideVerdict({
      ...common,
      connectFailure: silent,
      exit: { ...stopped, cpuMs: 9_800 },
    });
    expect(spinning.message).toContain(
      "It used 9.8 s of CPU time in 10.2 s: it was busy computing instead of answering.",
    );
    const waiting = decideVerdict({ ...common, connectFailure: silent, exit: { ...stopped, cpuMs: 40 } });
    expect(waiting.message).toContain(
      "It used under 0.1 s of CPU time in 10.2 s: it was running but waiting",
    );
    // Not measured (unsafe-local, no cpuacct): the general advice, no CPU figure.
    const unmeasured = decideVerdict({ ...common, connectFailure: silent, exit: stopped });
    expect(unmeasured.message).toContain("It was running but silent");
    expect(unmeasured.message).not.toContain("CPU time");
  });

  it("points out stdout noise whatever the verdict", () => {
    const v = decideVerdict({ ...common, exit: undefined, stdoutNoise: [{ text: "hello" }] });
    expect(v.verdict).toBe("passed");
    expect(v.message).toContain('not JSON-RPC (first: "hello")');
  });

  it("maps status and exit codes", () => {
    expect(statusForVerdict("passed")).toBe("pass");
    expect(statusForVerdict("crashed")).toBe("fail");
    expect(statusForVerdict("infra-error")).toBe("error");
    expect([exitCodeForStatus("pass"), exitCodeForStatus("fail"), exitCodeForStatus("error")]).toEqual([
      0, 1, 2,
    ]);
  });
});

describe("CLI arguments", () => {
  it("parses --k v, --k=v and booleans; refuses the rest", () => {
    expect(
      parseArgs(["--lab", "x", "--seed=3", "--json"], { strings: ["lab", "seed"], booleans: ["json"] }),
    ).toEqual({
      ok: true,
      values: { lab: "x", seed: "3", json: true },
    });
    expect(parseArgs(["--nope"], { strings: [], booleans: [] })).toEqual({
      ok: false,
      error: "unknown option --nope",
    });
    expect(parseArgs(["--lab"], { strings: ["lab"], booleans: [] })).toEqual({
      ok: false,
      error: "--lab needs a value",
    });
  });
});

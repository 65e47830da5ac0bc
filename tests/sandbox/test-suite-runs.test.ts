// LaunchRequest.mode "tests": the sandbox runs a learner's test suite (pytest or Vitest, pinned in the
// runtime) instead of a server, in the same isolation. stdout carries only the runner's report line,
// stderr everything the suite prints; a suite that deletes its files touches only its own run.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultLimits, type LaunchRequest, launchServer, type RunningServer } from "../../sandbox/index.ts";
import { assertRunnerInstalled } from "../../sandbox/test-runner.ts";
import { HOSTILE_DIR } from "./helpers.ts";

const REPORT_PREFIX = "MCP-LAB-TEST-REPORT ";
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function suiteDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mcp-lab-suite-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

function request(sourceDir: string, language: "python" | "typescript"): LaunchRequest {
  return {
    sourceDir,
    language,
    entry: language === "python" ? "test_suite.py" : "suite.test.ts",
    transport: "stdio",
    mode: "tests",
    limits: { ...defaultLimits },
  };
}

interface Report {
  runner: string;
  exitCode: number;
  tests: Array<{ name: string; status: string; message?: string }>;
  errors: Array<{ where: string; message: string }>;
  deleted: string[];
}

/** Runs to the end; returns the exit, all of stdout and stderr, and the parsed report line. */
async function runToEnd(server: RunningServer) {
  server.stdin.end();
  let stdout = "";
  server.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  const exit = await server.exited;
  const lines = stdout.split("\n").filter(Boolean);
  const line = lines.find((l) => l.startsWith(REPORT_PREFIX));
  const report = line ? (JSON.parse(line.slice(REPORT_PREFIX.length)) as Report) : null;
  return { exit, stdout, lines, report, stderr: server.stderrText() };
}

const PYTHON_SUITE = `
def test_adds():
    assert 1 + 1 == 2

def test_fails():
    print("printed by the suite")
    assert [1, 2] == [1, 3], "lists differ"
`;

const VITEST_SUITE = `
import { expect, test } from "vitest";
console.log("collected by the suite");
test("adds", () => { expect(1 + 1).toBe(2); });
test("fails", () => {
  process.stdout.write("straight to stdout\\n");
  expect([1, 2]).toEqual([1, 3]);
});
`;

describe('sandbox mode "tests"', () => {
  it("runs a pytest suite: one report line on stdout, the suite's output on stderr", async () => {
    const run = await runToEnd(
      await launchServer(request(await suiteDir({ "test_suite.py": PYTHON_SUITE }), "python")),
    );
    expect(run.exit).toMatchObject({ reason: "exited", code: 1 });
    expect(run.lines).toHaveLength(1);
    expect(run.report).toMatchObject({
      runner: "pytest 9.2.0",
      exitCode: 1,
      tests: [
        { name: "test_suite.py::test_adds", status: "passed" },
        {
          name: "test_suite.py::test_fails",
          status: "failed",
          message: expect.stringContaining("lists differ"),
        },
      ],
      errors: [],
      deleted: [],
    });
    // pytest shows a failing test's captured print() in its report, which goes to stderr.
    expect(run.stderr).toContain("printed by the suite");
    expect(run.stderr).toContain("1 failed, 1 passed");
  });

  it("runs a Vitest suite with the runtime's vitest and reports versions", async () => {
    const server = await launchServer(
      request(await suiteDir({ "suite.test.ts": VITEST_SUITE }), "typescript"),
    );
    expect(server.runtime).toMatchObject({
      node: expect.stringMatching(/^24\./),
      vitest: "5.1.1",
      sandbox: "bwrap",
    });
    const run = await runToEnd(server);
    expect(run.exit).toMatchObject({ reason: "exited", code: 1 });
    expect(run.report).toMatchObject({
      runner: "vitest 5.1.1",
      tests: [
        { name: "suite.test.ts > adds", status: "passed" },
        {
          name: "suite.test.ts > fails",
          status: "failed",
          message: expect.stringContaining("to deeply equal"),
        },
      ],
      errors: [],
    });
    // The suite's own writes (console.log, process.stdout in the worker) all end up on stderr.
    expect(run.lines).toHaveLength(1);
    expect(run.stderr).toContain("collected by the suite");
    expect(run.stderr).toContain("straight to stdout");
  });

  it("lets a suite start a planted SDK server over stdio, in both languages, under default limits", async () => {
    const pythonSuite = [
      "import sys",
      "import pytest",
      "from mcp import ClientSession, StdioServerParameters, stdio_client",
      "",
      "@pytest.fixture",
      "def anyio_backend():",
      '    return "asyncio"',
      "",
      "@pytest.mark.anyio",
      "async def test_greets():",
      '    params = StdioServerParameters(command=sys.executable, args=["server.py"])',
      "    async with stdio_client(params) as (read, write):",
      "        async with ClientSession(read, write) as session:",
      "            await session.initialize()",
      '            result = await session.call_tool("greet", {"name": "sandbox"})',
      '    assert result.content[0].text == "Hello, sandbox!"',
      "",
    ].join("\n");
    const vitestSuite = [
      'import { Client } from "@modelcontextprotocol/sdk/client/index.js";',
      'import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";',
      'import { expect, test } from "vitest";',
      'test("greets", async () => {',
      '  const client = new Client({ name: "suite", version: "1" });',
      '  await client.connect(new StdioClientTransport({ command: process.execPath, args: ["server.ts"] }));',
      "  const { tools } = await client.listTools();",
      "  await client.close();",
      '  expect(tools.map((t) => t.name)).toEqual(["greet"]);',
      "});",
      "",
    ].join("\n");
    for (const [language, suite, server] of [
      ["python", { "test_suite.py": pythonSuite }, "hello-python/server.py"],
      ["typescript", { "suite.test.ts": vitestSuite }, "hello-typescript/server.ts"],
    ] as const) {
      const plantFiles = { [path.basename(server)]: await readFile(path.join(HOSTILE_DIR, server), "utf8") };
      const run = await runToEnd(
        await launchServer({ ...request(await suiteDir(suite), language), plantFiles }),
      );
      expect(run.report?.tests, `${language}\n${run.stderr}`).toEqual([
        {
          name: language === "python" ? "test_suite.py::test_greets" : "suite.test.ts > greets",
          status: "passed",
        },
      ]);
      expect(run.exit).toMatchObject({ reason: "exited", code: 0 });
    }
  });

  it("reports collection errors (a syntax error) instead of tests", async () => {
    const run = await runToEnd(
      await launchServer(request(await suiteDir({ "test_suite.py": "def test_x(:\n    pass\n" }), "python")),
    );
    expect(run.exit.code).toBe(2);
    expect(run.report?.tests).toEqual([]);
    expect(run.report?.errors[0]).toMatchObject({
      where: "test_suite.py",
      message: expect.stringMatching(/SyntaxError/),
    });
  });

  it("lets a suite delete only its own run's files, and says which", async () => {
    const source = await suiteDir({
      "test_suite.py": "import os\n\ndef test_wipe():\n    for f in os.listdir('.'):\n        os.remove(f)\n",
      "golden.json": "{}",
    });
    const run = await runToEnd(await launchServer(request(source, "python")));
    expect(run.exit).toMatchObject({ reason: "exited", code: 0 });
    expect(run.report?.deleted).toEqual(["golden.json", "test_suite.py"]);
    expect((await readdir(source)).sort()).toEqual(["golden.json", "test_suite.py"]);
  });

  it("refuses mode tests over HTTP, and a runtime without the runner", async () => {
    const dir = await suiteDir({ "test_suite.py": PYTHON_SUITE });
    await expect(launchServer({ ...request(dir, "python"), transport: "http" })).rejects.toMatchObject({
      code: "INVALID_REQUEST",
    });
    await expect(assertRunnerInstalled(path.join(dir, "no-runner.py"))).rejects.toMatchObject({
      code: "SANDBOX_UNAVAILABLE",
      message: "The sandbox runtimes have no test runner installed.",
    });
  });
});

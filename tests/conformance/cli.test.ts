// The CLIs as a user runs them: exit codes, messages for every kind of bad input (nothing
// started), and --json printing only a result that the result schema accepts.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GradeResultSchema } from "../../conformance/result.ts";
import { SUBMISSION_LIMITS } from "../../conformance/submission.ts";
import { freePort } from "../../sandbox/free-port.ts";
import { FIXTURES_ROOT } from "./fixture-grader.ts";
import { sandboxMode } from "./sandbox-mode.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(REPO, "node_modules/tsx/dist/cli.mjs");
const SOLUTION = path.join(REPO, "labs/hello-server/solution/python");
const STARTER = path.join(REPO, "labs/hello-server/starter/python");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(script: "grade" | "check-server" | "labs-verify", args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, path.join(REPO, `conformance/cli/${script}.ts`), ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let scratch: string;
beforeAll(async () => {
  await sandboxMode();
  scratch = await mkdtemp(path.join(tmpdir(), "mcp-lab-cli-test-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = path.join(scratch, name);
  await mkdir(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** Bad input: exit 2, the message on stderr, and (with --json) a bad-submission result that started nothing. */
async function expectRefusal(args: string[], words: string) {
  const run = await cli("grade", args);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toContain(words);
  return run;
}

describe("npm run grade: bad input exits 2 with a clear message", () => {
  it("an unknown option", async () => {
    await expectRefusal(
      ["--lab", "hello-server", "--dir", SOLUTION, "--lang", "python", "--colour"],
      "unknown option --colour",
    );
  });

  it("no --lab", async () => {
    await expectRefusal(["--dir", SOLUTION, "--lang", "python"], "--lab is required");
  });

  it("a lab that does not exist", async () => {
    await expectRefusal(
      ["--lab", "no-such-lab", "--dir", SOLUTION, "--lang", "python"],
      'No lab "no-such-lab"',
    );
  });

  it("a folder that does not exist", async () => {
    await expectRefusal(
      ["--lab", "hello-server", "--dir", path.join(scratch, "missing"), "--lang", "python"],
      "does not exist",
    );
  });

  it("a language that is not python or typescript", async () => {
    await expectRefusal(
      ["--lab", "hello-server", "--dir", SOLUTION, "--lang", "rust"],
      '--lang must be python or typescript, not "rust"',
    );
  });

  it("a bad seed", async () => {
    await expectRefusal(
      ["--lab", "hello-server", "--dir", SOLUTION, "--lang", "python", "--seed", "-3"],
      "--seed must be a non-negative integer",
    );
  });

  it("a folder without the entry file", async () => {
    const dir = await folder("no-entry", { "main.py": "print('hi')\n" });
    await expectRefusal(["--lab", "hello-server", "--dir", dir, "--lang", "python"], "has no server.py");
  });

  it("files over the size limit", async () => {
    const dir = await folder("too-big", {
      "server.py": "x = 1\n",
      "data.txt": Buffer.alloc(SUBMISSION_LIMITS.maxTotalBytes + 1, 97),
    });
    await expectRefusal(["--lab", "hello-server", "--dir", dir, "--lang", "python"], "over 256 KB");
  });

  it("too many files", async () => {
    const files: Record<string, string> = { "server.py": "x = 1\n" };
    for (let i = 0; i < SUBMISSION_LIMITS.maxFiles; i++) files[`pkg/m${i}.py`] = "";
    const dir = await folder("too-many", files);
    await expectRefusal(
      ["--lab", "hello-server", "--dir", dir, "--lang", "python"],
      `more than ${SUBMISSION_LIMITS.maxFiles} files`,
    );
  });

  it("a symbolic link in the submission", async () => {
    const dir = await folder("with-symlink", { "server.py": "x = 1\n" });
    await symlink("/etc/passwd", path.join(dir, "secrets.txt"));
    await expectRefusal(
      ["--lab", "hello-server", "--dir", dir, "--lang", "python"],
      "secrets.txt is a symbolic link",
    );
  });

  it("a non-regular file (a FIFO) in the submission", async () => {
    const dir = await folder("with-fifo", { "server.py": "x = 1\n" });
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    await expectRefusal(
      ["--lab", "hello-server", "--dir", dir, "--lang", "python"],
      "pipe is not a regular file",
    );
  });

  it("with --json, a refusal is a bad-submission result with nothing started", async () => {
    const dir = await folder("no-entry-json", { "main.py": "" });
    const run = await expectRefusal(
      ["--lab", "hello-server", "--dir", dir, "--lang", "python", "--json"],
      "",
    );
    const result = GradeResultSchema.parse(JSON.parse(run.stdout));
    expect(result).toMatchObject({
      status: "error",
      verdict: "bad-submission",
      checks: [],
      trace: [],
      stderr: "",
    });
    expect(result.message).toContain("has no server.py");
  });
});

describe("npm run grade: results", () => {
  it("--json prints only the result JSON; the reference solution passes (exit 0)", async () => {
    const run = await cli("grade", [
      "--lab",
      "hello-server",
      "--dir",
      SOLUTION,
      "--lang",
      "python",
      "--json",
      "--seed",
      "7",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = GradeResultSchema.parse(JSON.parse(run.stdout));
    expect(result).toMatchObject({
      lab: "hello-server",
      lang: "python",
      seed: 7,
      status: "pass",
      verdict: "passed",
    });
    expect(result.runtime).toMatchObject({
      python: expect.any(String),
      mcp: "2.3.0",
      protocolVersion: "2025-11-25",
    });
    expect(result.trace.length).toBeGreaterThan(0);
  }, 60_000);

  it("the human transcript interleaves [grader], [server stderr] and -> / <- lines, then the table; the starter fails (exit 1)", async () => {
    const run = await cli("grade", [
      "--lab",
      "hello-server",
      "--dir",
      STARTER,
      "--lang",
      "python",
      "--seed",
      "7",
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain("[grader] ");
    expect(run.stdout).toMatch(/^-> \{"method":"initialize"/m);
    expect(run.stdout).toMatch(/^<- \{/m);
    expect(run.stdout).toContain("[server stderr]");
    expect(run.stdout).toMatch(/^check\s+severity\s+status$/m);
    expect(run.stdout).toMatch(/^FAIL {2}verdict: checks-failed/m);
  }, 60_000);
});

describe("npm run check-server", () => {
  it("refuses bad input with exit 2", async () => {
    const both = await cli("check-server", ["--url", "http://127.0.0.1:1/mcp", "--stdio", "true"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give exactly one of --url and --stdio");
    const ftp = await cli("check-server", ["--url", "ftp://example.org/mcp"]);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain("--url must be http:// or https://");
  });

  it("--json grades a stdio server command with every protocol check", async () => {
    const server = path.join(FIXTURES_ROOT, "good-typescript", "server.ts");
    const run = await cli("check-server", [
      "--stdio",
      `${process.execPath} ${server}`,
      "--json",
      "--seed",
      "3",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = GradeResultSchema.parse(JSON.parse(run.stdout));
    expect(result).toMatchObject({ lab: null, lang: null, limits: null, status: "pass", verdict: "passed" });
    expect(result.checks.map((c) => c.id)).toContain("initialize-unknown-version");
    expect(result.checks.every((c) => c.status === "pass")).toBe(true);
  }, 60_000);

  it("a command that is not an MCP server does not start (exit 1)", async () => {
    const run = await cli("check-server", ["--stdio", "echo hello; exit 3", "--json"]);
    expect(run.code).toBe(1);
    const result = GradeResultSchema.parse(JSON.parse(run.stdout));
    expect(result.verdict).toBe("did-not-start");
    expect(result.message).toContain("exited with code 3");
    expect(result.trace).toContainEqual(expect.objectContaining({ stdout: "hello" }));
  }, 60_000);
});

/** Starts an HTTP fixture outside the sandbox on `port`; resolves once it says it is listening. */
function startHttpFixture(name: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(FIXTURES_ROOT, name, "server.ts")], {
    cwd: REPO,
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stderr = "";
    const onData = (c: Buffer) => {
      stderr += c.toString("utf8");
      if (stderr.includes(`listening on 127.0.0.1:${port}`)) {
        child.stderr?.off("data", onData);
        child.off("exit", onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${name} exited (${code}) before listening: ${stderr}`));
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

describe("npm run check-server --url (a server already listening)", () => {
  const servers: ChildProcess[] = [];
  let goodUrl = "";
  let foreignOriginUrl = "";
  beforeAll(async () => {
    const [good, foreign] = [await freePort(), await freePort()];
    servers.push(
      await startHttpFixture("http-good", good),
      await startHttpFixture("http-foreign-origin", foreign),
    );
    goodUrl = `http://127.0.0.1:${good}/mcp`;
    foreignOriginUrl = `http://127.0.0.1:${foreign}/mcp`;
  }, 30_000);
  afterAll(() => {
    for (const server of servers) server.kill();
  });

  it("grades a Streamable HTTP server with every protocol check, the http-* ones included (exit 0)", async () => {
    const run = await cli("check-server", ["--url", goodUrl, "--json", "--seed", "3"]);
    expect(run.code, run.stderr).toBe(0);
    const result = GradeResultSchema.parse(JSON.parse(run.stdout));
    expect(result).toMatchObject({ lab: null, lang: null, limits: null, status: "pass", verdict: "passed" });
    const ids = result.checks.map((c) => c.id);
    for (const id of [
      "http-session-id-issued",
      "http-session-id-format",
      "http-session-required",
      "http-session-ended-404",
      "http-origin-forbidden",
      "http-accept-negotiation",
      "http-protocol-version-header",
      "http-notification-accepted",
      "initialize-unknown-version",
    ])
      expect(ids).toContain(id);
    expect(ids).not.toContain("stdio-clean-shutdown");
    expect(result.checks.every((c) => c.status === "pass")).toBe(true);
    expect(result.trace.length).toBeGreaterThan(0);
  }, 60_000);

  it("--suite adds official conformance suite scenarios as checks: passed on a good server", async () => {
    const run = await cli("check-server", ["--url", goodUrl, "--suite", "server-initialize,ping", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = GradeResultSchema.parse(JSON.parse(run.stdout));
    expect(result.checks.filter((c) => c.id.startsWith("suite-")).map((c) => [c.id, c.status])).toEqual([
      ["suite-server-initialize", "pass"],
      ["suite-ping", "pass"],
    ]);
  }, 120_000);

  it("--suite fails the run when a scenario fails (a server that ignores Origin, exit 1)", async () => {
    const run = await cli("check-server", [
      "--url",
      foreignOriginUrl,
      "--suite",
      "dns-rebinding-protection",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(1);
    const result = GradeResultSchema.parse(JSON.parse(run.stdout));
    const suite = result.checks.find((c) => c.id === "suite-dns-rebinding-protection");
    expect(suite).toMatchObject({ status: "fail", severity: "must" });
    expect(suite?.message).toContain("localhost-host-rebinding-rejected");
  }, 120_000);

  it("--suite refuses unknown scenarios and stdio servers (exit 2, nothing graded)", async () => {
    const unknown = await cli("check-server", ["--url", goodUrl, "--suite", "ping,no-such-scenario"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown suite scenario: no-such-scenario (known: server-initialize,");
    expect(unknown.stdout).toBe("");
    const stdio = await cli("check-server", ["--stdio", "true", "--suite", "ping"]);
    expect(stdio.code).toBe(2);
    expect(stdio.stderr).toContain("--suite needs --url");
  }, 60_000);
});

describe("npm run labs:verify", () => {
  it("proves hello-server: solutions pass, starters fail, in both languages", async () => {
    const run = await cli("labs-verify", ["--lab", "hello-server"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/hello-server\s+python\s+solution\s+pass\s+pass\s+passed/);
    expect(run.stdout).toMatch(/hello-server\s+typescript\s+starter\s+fail\s+fail\s+checks-failed/);
    expect(run.stdout).toContain("4/4 as expected");
  }, 120_000);

  it("an unknown lab is bad input", async () => {
    const run = await cli("labs-verify", ["--lab", "no-such-lab"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No lab "no-such-lab"');
  });
});

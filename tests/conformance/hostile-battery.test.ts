// The hostile-submission battery, graded through the real CLI (`npm run grade -- ... --json`) in the
// real sandbox: each submission is contained and graded `fail` with a verdict and message that say
// what happened, nothing of it survives, and the grader stays healthy for the next learner.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GradeResult, GradeResultSchema } from "../../conformance/result.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SECRET = `host-secret-${randomBytes(6).toString("hex")}`;
const dirs: string[] = [];

function submission(fixture: string, plant: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-"));
  dirs.push(dir);
  cpSync(fixture, dir, { recursive: true });
  for (const [name, content] of Object.entries(plant)) writeFileSync(path.join(dir, name), content);
  return dir;
}

function gradeCli(dir: string, lab = "hello-server"): { code: number | null; result: GradeResult } {
  const run = spawnSync(
    path.join(ROOT, "node_modules/.bin/tsx"),
    [
      path.join(ROOT, "conformance/cli/grade.ts"),
      "--lab",
      lab,
      "--dir",
      dir,
      "--lang",
      "python",
      "--json",
      "--seed",
      "7",
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 90_000,
      env: { ...process.env, MCP_LAB_TEST_HOST_SECRET: SECRET },
    },
  );
  return { code: run.status, result: GradeResultSchema.parse(JSON.parse(run.stdout)) };
}

const hostile = (name: string) => path.join(ROOT, "tests/fixtures/hostile", name);
const hostileCli = (name: string) => path.join(ROOT, "tests/fixtures/hostile-cli", name);

describe("hostile submissions through the grade CLI", () => {
  let listener: Server;
  let connections = 0;
  let port = 0;
  beforeAll(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    port = (listener.address() as { port: number }).port;
  });
  afterAll(() => {
    listener.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["fork-bomb", /more than 64 processes or threads/],
    ["memory-hog", /more than the 256 MB memory limit/],
    // The CPU time comes from the run's cpuacct cgroup: a spinning server is told it was computing.
    [
      "busy-loop",
      /did not answer initialize within 10 s\. It used \d+\.\d s of CPU time in [\d.]+ s: it was busy computing/,
    ],
    // A server that never answers: it sleeps, and is told it was waiting.
    [
      "sleeper",
      /did not answer initialize within 10 s\. It used under 0\.1 s of CPU time in [\d.]+ s: it was running but waiting/,
    ],
    ["output-flood", /output truncated at 256 KB/],
  ])("%s is contained and graded fail with a message that says what happened", (name, message) => {
    const { code, result } = gradeCli(submission(hostile(name)));
    expect(code).toBe(1);
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(message);
  });

  it("kill-parent reaches nothing outside its sandbox and is graded fail", () => {
    const { code, result } = gradeCli(submission(hostile("kill-parent")));
    expect(code).toBe(1);
    expect(result.verdict).toBe("did-not-start");
    expect(result.message).toMatch(/did not answer initialize within 10 s/);
    // What its kills did, as it printed them (on stdout, so also pointed out as not JSON-RPC): its
    // parent is the sandbox's own init (pid 1 of the run's pid namespace), which ignores signals
    // from inside; kill(-1) finds no other process. The grader went on to write this result.
    const line = result.trace.find((e) => "stdout" in e);
    const report = JSON.parse(line && "stdout" in line ? line.stdout : "{}") as Record<string, unknown>;
    expect(report).toMatchObject({ ppid: 1, all: "ProcessLookupError" });
    expect(result.message).toContain("not JSON-RPC");
  });

  it("cannot read host secrets or the repository, write outside its folder, or connect to a host port", () => {
    const targets = {
      read: ["/etc/shadow", "/root/.bashrc", path.join(ROOT, "package.json"), path.join(ROOT, ".env")],
      write: ["/usr/pwned", "/etc/pwned", "/opt/mcp-lab/runtimes/pwned", "/pwned"],
      port,
    };
    const { code, result } = gradeCli(
      submission(hostileCli("probe"), { "targets.json": JSON.stringify(targets) }),
    );
    expect(code).toBe(1);
    expect(result.verdict).toBe("did-not-start");
    const report = JSON.parse(/PROBE (\{.*\})/.exec(result.stderr)?.[1] ?? "{}") as Record<string, unknown>;
    expect(Object.keys(report).length).toBeGreaterThan(targets.read.length + targets.write.length);
    for (const [what, outcome] of Object.entries(report))
      if (what !== "env") expect(outcome, what).toMatch(/^denied/);
    expect(report.env).not.toContain("MCP_LAB_TEST_HOST_SECRET");
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(connections).toBe(0);
  });

  it("a daemon it leaves behind does not survive the run", () => {
    const marker = `mcp-lab-daemon-${randomBytes(6).toString("hex")}`;
    const { code, result } = gradeCli(submission(hostileCli("daemon-exits"), { "marker.txt": marker }));
    expect(code).toBe(1);
    expect(result.verdict).toBe("did-not-start");
    expect(result.message).toMatch(/^Your server exited with code 0 before it answered initialize\./);
    const survivors = spawnSync("pgrep", ["-f", marker], { encoding: "utf8" });
    expect(survivors.stdout.trim()).toBe("");
  });

  it("the grader stays healthy: the next learner's reference solution passes", () => {
    const { code, result } = gradeCli(path.join(ROOT, "labs/hello-server/solution/python"));
    expect(result.verdict).toBe("passed");
    expect(code).toBe(0);
  });
});

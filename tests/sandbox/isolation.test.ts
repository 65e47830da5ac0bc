// Real bwrap, real processes: what a sandboxed server can see, read, write and reach.
import { access, mkdtemp, rm, symlink } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkIsolation,
  createSocketFetch,
  launchServer,
  type RunningServer,
  waitForHttpReady,
} from "../../sandbox/index.ts";
import { firstLine, fixtureRequest, hostProcesses, initializeRequest, REPO_DIR, uidOf } from "./helpers.ts";

const SANDBOX_USER = process.env.MCP_LAB_SANDBOX_USER ?? "mcplab-sandbox";
const WORK_BASE = process.env.MCP_LAB_SANDBOX_WORK ?? "/dev/shm/mcp-lab";

/** Runs a fixture that prints one JSON line and returns it parsed (and stops the server). */
async function jsonReport(server: RunningServer): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await firstLine(server.stdout)) as Record<string, unknown>;
  } finally {
    await server.stop();
  }
}

describe("sandbox isolation (bwrap)", () => {
  it("reports a working sandbox on this host", async () => {
    const report = await checkIsolation();
    expect(report.details.filter((d) => d.startsWith("MISSING"))).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("starts a Python SDK server that answers initialize over stdio", async () => {
    const server = await launchServer(fixtureRequest("hello-python"));
    server.stdin.write(initializeRequest());
    const reply = JSON.parse(await firstLine(server.stdout));
    expect(reply.id).toBe(1);
    expect(reply.result.serverInfo.name).toBe("hello");
    expect(server.runtime).toMatchObject({ python: expect.any(String), mcp: "2.3.0", sandbox: "bwrap" });
    const exit = await server.stop();
    expect(exit.reason).toBe("killed-by-grader");
  });

  it("starts a TypeScript SDK server (Node type stripping, SDK from the runtime) under default limits", async () => {
    const server = await launchServer(fixtureRequest("hello-typescript", { language: "typescript" }));
    server.stdin.write(initializeRequest(7));
    const reply = JSON.parse(await firstLine(server.stdout));
    expect(reply.id).toBe(7);
    expect(reply.result.serverInfo.name).toBe("hello");
    expect(server.runtime).toMatchObject({ node: expect.stringMatching(/^24\./), sdk: "1.32.2" });
    expect((await server.stop()).reason).toBe("killed-by-grader");
  });

  it("gives the server a clean environment: no host variables, only the minimal set plus req.env", async () => {
    process.env.MCP_LAB_TEST_HOST_SECRET = "s3cr3t-from-the-host";
    try {
      const env = await jsonReport(
        await launchServer(fixtureRequest("env-dump", { env: { UPSTREAM_URL: "http://upstream.test" } })),
      );
      expect(Object.keys(env).sort()).toEqual(["HOME", "LANG", "PATH", "PWD", "TMPDIR", "UPSTREAM_URL"]);
      expect(env.HOME).toBe("/tmp");
      expect(env.UPSTREAM_URL).toBe("http://upstream.test");
      expect(JSON.stringify(env)).not.toContain("s3cr3t-from-the-host");
      expect(JSON.stringify(env)).not.toContain("/root");
    } finally {
      delete process.env.MCP_LAB_TEST_HOST_SECRET;
    }
  });

  it("hides host secrets and the repo, and lets it write only in its work dir and /tmp", async () => {
    const probeRead = [
      "/root",
      "/etc/shadow",
      REPO_DIR,
      path.join(REPO_DIR, "package.json"),
      "/home",
      "/var/lib",
    ];
    const report = await jsonReport(
      await launchServer(fixtureRequest("fs-probe", { env: { PROBE_READ: probeRead.join(":") } })),
    );
    const read = report.read as Record<string, string>;
    const list = report.list as Record<string, string>;
    for (const p of probeRead) {
      expect(read[p], `read ${p}`).not.toBe("ok");
      expect(list[p], `list ${p}`).not.toBe("ok");
    }
    expect(report.write).toEqual({
      "/app/inside.txt": "ok",
      "/tmp/inside.txt": "ok",
      "/usr/pwned": "OSError",
      "/etc/pwned": "OSError",
      "/pwned": "OSError",
      "/opt/mcp-lab/runtimes/pwned": "OSError",
      "/proc/sys/kernel/hostname": "PermissionError",
    });
    expect(report.cwd).toBe("/app");
    expect(report.uid).toBe(await uidOf(SANDBOX_USER));
  });

  it("has no network: a TCP server on the host's 127.0.0.1 is unreachable", async () => {
    let connections = 0;
    const host = net.createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
    const port = (host.address() as net.AddressInfo).port;
    try {
      const report = await jsonReport(
        await launchServer(fixtureRequest("net-probe", { env: { PROBE_PORT: String(port) } })),
      );
      expect(report[`127.0.0.1:${port}`]).toBe("ConnectionRefusedError");
      expect(report["10.0.2.2:80"]).not.toBe("connected");
      expect(report["1.1.1.1:53"]).not.toBe("connected");
      expect(report.interfaces).toEqual(["lo"]);
      expect(connections).toBe(0);
    } finally {
      await new Promise((r) => host.close(r));
    }
  });

  it("plants files and symlinks, and a symlink to a host secret resolves inside the sandbox only", async () => {
    const report = await jsonReport(
      await launchServer(
        fixtureRequest("fs-probe", {
          env: { PROBE_READ: "/app/config/planted.txt:/app/shadow-link:/app/secret-dir" },
          plantFiles: { "config/planted.txt": "planted by the grader" },
          symlinks: { "shadow-link": "/etc/shadow", "secret-dir": "/root" },
        }),
      ),
    );
    const read = report.read as Record<string, string>;
    expect(read["/app/config/planted.txt"]).toBe("ok");
    expect(read["/app/shadow-link"]).toBe("FileNotFoundError");
    expect((report.list as Record<string, string>)["/app/secret-dir"]).toBe("FileNotFoundError");
  });

  it("removes the work dir and leaves no process of the sandbox user after stop()", async () => {
    const server = await launchServer(fixtureRequest("hello-python"));
    const runDir = path.join(WORK_BASE, server.runId ?? "missing");
    await access(runDir);
    server.stdin.write(initializeRequest());
    await firstLine(server.stdout);
    await server.stop();
    await expect(access(runDir)).rejects.toThrow();
    const uid = await uidOf(SANDBOX_USER);
    const left = (await hostProcesses()).filter(
      (p) => p.uid === uid && p.cmdline.includes(server.runId ?? "?"),
    );
    expect(left).toEqual([]);
  });
});

describe("opting out of isolation", () => {
  const savedSandbox = process.env.SANDBOX;
  beforeAll(() => {
    delete process.env.SANDBOX;
  });
  afterAll(() => {
    if (savedSandbox === undefined) delete process.env.SANDBOX;
    else process.env.SANDBOX = savedSandbox;
  });

  it("refuses with SANDBOX_UNAVAILABLE when bwrap is missing, without host paths in the message", async () => {
    const missing = "/nonexistent/mcp-lab/bwrap";
    const err = await launchServer(fixtureRequest("hello-python"), { bwrapPath: missing }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "SandboxError", code: "SANDBOX_UNAVAILABLE" });
    const { message, details } = err as { message: string; details: string[] };
    expect(message).not.toContain(missing);
    expect(message).toContain("SANDBOX=unsafe-local");
    expect(details.join("\n")).toContain(`bwrap not found at ${missing}`);
    const report = await checkIsolation({ bwrapPath: missing });
    expect(report.ok).toBe(false);
  });

  it("refuses when the sandbox user cannot read the runtime root (e.g. one under a 0700 dir)", async () => {
    const hidden = await mkdtemp(path.join(tmpdir(), "mcp-lab-hidden-")); // mode 0700, root's
    try {
      const real = process.env.MCP_LAB_RUNTIMES ?? "/opt/mcp-lab/runtimes";
      for (const part of ["python", "node", "relay", "etc", "versions.json"]) {
        await symlink(path.join(real, part), path.join(hidden, part));
      }
      const report = await checkIsolation({ runtimesRoot: hidden });
      expect(report.ok).toBe(false);
      expect(report.details.some((d) => d.startsWith("MISSING: bwrap failed to start a sandbox"))).toBe(true);
      const err = await launchServer(fixtureRequest("hello-python"), { runtimesRoot: hidden }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: "SANDBOX_UNAVAILABLE" });
    } finally {
      await rm(hidden, { recursive: true, force: true });
    }
  });

  it("refuses isolation unsafe-local unless the operator set SANDBOX=unsafe-local", async () => {
    const err = await launchServer(fixtureRequest("hello-python", { isolation: "unsafe-local" })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "UNSAFE_NOT_ALLOWED" });
  });

  it("falls back to a plain process with SANDBOX=unsafe-local when isolation is missing", async () => {
    process.env.SANDBOX = "unsafe-local";
    try {
      const server = await launchServer(fixtureRequest("hello-python"), { bwrapPath: "/nonexistent/bwrap" });
      expect(server.runtime.sandbox).toBe("unsafe-local");
      server.stdin.write(initializeRequest());
      expect(JSON.parse(await firstLine(server.stdout)).result.serverInfo.name).toBe("hello");
      expect((await server.stop()).reason).toBe("killed-by-grader");
    } finally {
      delete process.env.SANDBOX;
    }
  });

  it("serves HTTP through the same socket API in unsafe-local mode", async () => {
    process.env.SANDBOX = "unsafe-local";
    try {
      const server = await launchServer(
        fixtureRequest("tiny-http", { transport: "http", isolation: "unsafe-local" }),
      );
      try {
        expect(server.runtime.sandbox).toBe("unsafe-local");
        expect((await waitForHttpReady(server, 10_000)).ready).toBe(true);
        const res = await createSocketFetch(server.httpSocketPath ?? "")(
          `http://127.0.0.1:${server.httpPort}/x`,
        );
        expect(await res.text()).toBe(`pong /x host=127.0.0.1:${server.httpPort}`);
      } finally {
        await server.stop();
      }
    } finally {
      delete process.env.SANDBOX;
    }
  });

  it("rejects requests whose paths escape the work dir", async () => {
    const err = await launchServer(
      fixtureRequest("hello-python", { plantFiles: { "../escape.txt": "x" } }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "INVALID_REQUEST" });
  });

  it("reports a missing entry file as ENTRY_NOT_FOUND", async () => {
    const err = await launchServer(fixtureRequest("hello-python", { entry: "main.py" })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "ENTRY_NOT_FOUND" });
  });
});

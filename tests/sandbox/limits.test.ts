// Hostile servers against the limits: each must end with the precise reason, and nothing survives.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cgroupBases } from "../../sandbox/cgroup.ts";
import { launchServer } from "../../sandbox/index.ts";
import { firstLine, fixtureRequest, hostProcesses, uidOf } from "./helpers.ts";

const SANDBOX_USER = process.env.MCP_LAB_SANDBOX_USER ?? "mcplab-sandbox";

async function processesWithMarker(marker: string) {
  return (await hostProcesses()).filter((p) => p.cmdline.includes(marker));
}

/** pgrep -u <sandbox user> -f <marker>: pids of the sandbox user's processes carrying the marker. */
async function pgrepSandboxUser(marker: string): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)("pgrep", ["-u", SANDBOX_USER, "-f", marker]);
    return stdout.split("\n").filter(Boolean);
  } catch (err) {
    if ((err as { code?: number }).code === 1) return []; // pgrep: no match
    throw err;
  }
}

describe("sandbox limits", () => {
  it("stops a fork bomb at the pids limit (pids-limit) and the host keeps working", async () => {
    const server = await launchServer(fixtureRequest("fork-bomb", { limits: { pids: 32, wallMs: 15_000 } }));
    const exit = await server.exited;
    expect(exit.reason).toBe("pids-limit");
    // The host can still start processes.
    const { stdout } = await promisify(execFile)("/bin/echo", ["host ok"]);
    expect(stdout.trim()).toBe("host ok");
  });

  it("kills a Python memory hog at the memory cgroup limit (memory-limit)", async () => {
    const server = await launchServer(
      fixtureRequest("memory-hog", { limits: { memoryMb: 64, wallMs: 15_000 } }),
    );
    const exit = await server.exited;
    expect(exit.reason).toBe("memory-limit");
  });

  it("charges files written in the work dir to the memory cgroup: filling it ends in memory-limit", async () => {
    const server = await launchServer(
      fixtureRequest("disk-fill", { limits: { memoryMb: 64, wallMs: 15_000 } }),
    );
    const exit = await server.exited;
    expect(exit.reason).toBe("memory-limit");
  });

  it("kills a Node memory hog (no RLIMIT_AS: cgroup + heap cap) with memory-limit", async () => {
    const server = await launchServer(
      fixtureRequest("memory-hog-node", {
        language: "typescript",
        limits: { memoryMb: 128, wallMs: 15_000 },
      }),
    );
    const exit = await server.exited;
    expect(exit.reason).toBe("memory-limit");
  });

  it("ends an infinite CPU loop with timeout (CPU time)", async () => {
    const server = await launchServer(
      fixtureRequest("busy-loop", { limits: { cpuSeconds: 1, wallMs: 30_000 } }),
    );
    const exit = await server.exited;
    expect(exit.reason).toBe("timeout");
    expect(exit.durationMs).toBeLessThan(30_000);
    // The tree's CPU time, read from its cpuacct cgroup before cleanup: the whole 1 s budget.
    expect(exit.cpuMs).toBeGreaterThanOrEqual(900);
  });

  it("ends a server that sleeps forever with timeout (wall time)", async () => {
    const server = await launchServer(fixtureRequest("sleeper", { limits: { wallMs: 1_000 } }));
    const exit = await server.exited;
    expect(exit.reason).toBe("timeout");
    expect(exit.cpuMs).toBeLessThan(500);
  });

  it("cuts a server that floods its output with output-limit, keeping at most outputKb", async () => {
    const server = await launchServer(fixtureRequest("output-flood", { limits: { outputKb: 64 } }));
    server.stdout.resume();
    const exit = await server.exited;
    expect(exit.reason).toBe("output-limit");
    expect(server.stderrTruncated()).toBe(true);
    expect(Buffer.byteLength(server.stderrText())).toBeLessThanOrEqual(64 * 1024);
  });

  it("leaves no daemon (double fork + setsid) behind after stop()", async () => {
    const marker = `mcp-lab-daemon-${randomBytes(6).toString("hex")}`;
    const server = await launchServer(fixtureRequest("daemon", { env: { DAEMON_MARKER: marker } }));
    expect(await firstLine(server.stdout)).toBe("daemon started");
    const uid = await uidOf(SANDBOX_USER);
    // The daemon's shell forks `sleep` every second; between fork and exec the child carries the
    // marker too, so "at least one" is the exact claim.
    const running = await processesWithMarker(marker);
    expect(running.length).toBeGreaterThanOrEqual(1);
    expect(running.every((p) => p.uid === uid)).toBe(true);
    expect((await pgrepSandboxUser(marker)).length).toBeGreaterThanOrEqual(1);
    expect((await server.stop()).reason).toBe("killed-by-grader");
    expect(await processesWithMarker(marker)).toEqual([]);
    expect(await pgrepSandboxUser(marker)).toEqual([]);
  });

  it("leaves no daemon behind when the main process exits by itself", async () => {
    const marker = `mcp-lab-daemon-${randomBytes(6).toString("hex")}`;
    const server = await launchServer(
      fixtureRequest("daemon", { env: { DAEMON_MARKER: marker, DAEMON_PARENT_EXITS: "1" } }),
    );
    const exit = await server.exited;
    expect(exit).toMatchObject({ reason: "exited", code: 0 });
    expect(await processesWithMarker(marker)).toEqual([]);
    expect(await pgrepSandboxUser(marker)).toEqual([]);
  });

  it("contains a server that kills its parent, pid 1 and every process it can signal", async () => {
    const server = await launchServer(fixtureRequest("kill-parent"));
    const report = JSON.parse(await firstLine(server.stdout)) as Record<string, unknown>;
    // Its parent is the sandbox's own init (pid 1), which signals from inside cannot kill.
    expect(report.ppid).toBe(1);
    const exit = await server.stop();
    expect(exit.reason).toBe("killed-by-grader");
    expect(process.ppid).toBeGreaterThan(0);
  });

  it("enforces the open-files and file-size rlimits", async () => {
    const server = await launchServer(
      fixtureRequest("rlimits", { limits: { openFiles: 64, fileSizeKb: 256 } }),
    );
    const report = JSON.parse(await firstLine(server.stdout)) as Record<string, unknown>;
    await server.stop();
    expect(report.opened).toBeLessThan(64);
    expect(report.opened).toBeGreaterThan(50);
    expect(report.open_error).toBe("OSError:Too many open files");
    expect(report.written).toBe(256 * 1024);
    expect(report.write_error).toBe("OSError:File too large");
  });

  it("writes the run's limits into its cgroups (and a CPU quota only when configured)", async () => {
    const bases = await cgroupBases();
    const read = (ctrl: "memory" | "pids" | "cpu", id: string, file: string) =>
      readFile(path.join(bases[ctrl] ?? "/nonexistent", id, file), "utf8").then((t) => t.trim());
    const plain = await launchServer(fixtureRequest("sleeper", { limits: { memoryMb: 96, pids: 20 } }));
    const quota = await launchServer(fixtureRequest("sleeper"), { cpuCores: 1 });
    try {
      const id = plain.runId ?? "";
      expect(await read("memory", id, "memory.limit_in_bytes")).toBe(String(96 * 2 ** 20));
      // memsw exists only with swap accounting (it does on these machines).
      const memsw = await read("memory", id, "memory.memsw.limit_in_bytes").catch(() => null);
      if (memsw !== null) expect(memsw).toBe(String(96 * 2 ** 20));
      expect(await read("pids", id, "pids.max")).toBe("20");
      await expect(read("cpu", id, "cpu.cfs_quota_us")).rejects.toThrow();
      expect(await read("cpu", quota.runId ?? "", "cpu.cfs_quota_us")).toBe("100000");
    } finally {
      await plain.stop();
      await quota.stop();
    }
    await expect(read("memory", plain.runId ?? "", "memory.limit_in_bytes")).rejects.toThrow();
  });

  it("reports a server that exits by itself with its exit code", async () => {
    const server = await launchServer(fixtureRequest("crash-on-start"));
    const exit = await server.exited;
    expect(exit).toMatchObject({ reason: "exited", code: 1 });
    expect(server.stderrText()).toContain("configuration missing");
  });
});

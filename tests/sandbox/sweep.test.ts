// Leftovers of a grader that died hard are removed before the next grader's first run.
import { spawn } from "node:child_process";
import { access, mkdir, rm, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RunCgroup } from "../../sandbox/cgroup.ts";
import { resolveOptions } from "../../sandbox/config.ts";
import { STALE_AFTER_MS, sweepStale } from "../../sandbox/sweep.ts";
import { ensureWorkBase, newRunId } from "../../sandbox/workdir.ts";

describe("stale run sweep", () => {
  it("kills and removes cgroups and run dirs older than any run can live, and keeps fresh ones", async () => {
    const { workBase } = resolveOptions();
    await ensureWorkBase(workBase);
    const staleId = newRunId();
    const freshId = newRunId();
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);

    const staleDir = path.join(workBase, staleId);
    const freshDir = path.join(workBase, freshId);
    await mkdir(path.join(staleDir, "src"), { recursive: true });
    await mkdir(freshDir, { recursive: true });
    await writeFile(path.join(staleDir, "src", "server.py"), "pass\n");
    await utimes(staleDir, old, old);

    const limits = { memoryBytes: 64 * 2 ** 20, pids: 8, cpuCores: 0 };
    const staleCg = await RunCgroup.create(staleId, limits);
    const freshCg = await RunCgroup.create(freshId, limits);
    const orphan = spawn("/bin/sleep", ["1000"], { stdio: "ignore" });
    const orphanExit = new Promise((r) => orphan.once("exit", r));
    for (const procs of staleCg.procsFiles()) await writeFile(procs, String(orphan.pid));
    for (const dir of new Set(Object.values(staleCg.dirs))) await utimes(dir, old, old);

    try {
      const swept = await sweepStale(workBase);
      expect(swept.dirs).toBeGreaterThanOrEqual(1);
      expect(swept.cgroups).toBeGreaterThanOrEqual(1);
      await orphanExit;
      await expect(access(staleDir)).rejects.toThrow();
      for (const dir of Object.values(staleCg.dirs)) await expect(access(dir)).rejects.toThrow();
      await access(freshDir);
      for (const dir of Object.values(freshCg.dirs)) await access(dir);
    } finally {
      orphan.kill("SIGKILL");
      await freshCg.remove();
      await staleCg.remove();
      await rm(freshDir, { recursive: true, force: true });
      await rm(staleDir, { recursive: true, force: true });
    }
  });
});

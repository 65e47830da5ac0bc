// Is full isolation available on this host? Probed once per process (per configuration) and cached
// when it succeeds: bwrap binary, root, sandbox user, user namespaces, cgroup controllers, runtimes,
// and a real bwrap start as the sandbox user.
import { execFile } from "node:child_process";
import { access, constants, mkdir, readFile, rmdir } from "node:fs/promises";
import path from "node:path";
import { topLevelMounts } from "./bwrap-command.ts";
import { cgroupBases, REQUIRED_CONTROLLERS } from "./cgroup.ts";
import { type ResolvedOptions, resolveOptions, type SandboxOptions } from "./config.ts";
import { loadRuntime } from "./runtime.ts";
import type { IsolationReport } from "./types.ts";
import { lookupUser } from "./user.ts";
import { ensureWorkBase, newRunId } from "./workdir.ts";

const cache = new Map<string, Promise<IsolationReport>>();

export function checkIsolation(options?: SandboxOptions): Promise<IsolationReport> {
  const resolved = resolveOptions(options);
  const key = JSON.stringify(resolved);
  let hit = cache.get(key);
  if (!hit) {
    hit = probe(resolved);
    cache.set(key, hit);
    // Only a working sandbox is cached: an operator may fix the host without restarting us.
    void hit.then((r) => {
      if (!r.ok) cache.delete(key);
    });
  }
  return hit;
}

async function probe(opts: ResolvedOptions): Promise<IsolationReport> {
  const ok: string[] = [];
  const missing: string[] = [];

  const isRoot = process.getuid?.() === 0;
  if (isRoot) ok.push("grader runs as root (needed to create cgroups and switch to the sandbox user)");
  else {
    missing.push(
      "the grader is not running as root: creating per-run cgroups and switching to the sandbox user " +
        "need root (CI and production run as root). On a non-root dev machine set SANDBOX=unsafe-local " +
        "to run learner servers as plain processes (no isolation).",
    );
  }

  const bwrapOk = await access(opts.bwrapPath, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (bwrapOk) ok.push(`bwrap found at ${opts.bwrapPath}`);
  else
    missing.push(`bwrap not found at ${opts.bwrapPath} (apt-get install bubblewrap, or set MCP_LAB_BWRAP)`);

  const owner = await lookupUser(opts.user);
  if (owner && owner.uid !== 0) ok.push(`sandbox user ${opts.user} (uid ${owner.uid})`);
  else missing.push(`sandbox user ${opts.user} is missing (run scripts/install-runtimes.sh as root)`);

  const userns = await readFile("/proc/sys/user/max_user_namespaces", "utf8").catch(() => "0");
  const unprivClone = await readFile("/proc/sys/kernel/unprivileged_userns_clone", "utf8").catch(() => "1");
  if (Number(userns.trim()) > 0 && unprivClone.trim() !== "0")
    ok.push("unprivileged user namespaces enabled");
  else
    missing.push(
      "unprivileged user namespaces are disabled (sysctl user.max_user_namespaces / kernel.unprivileged_userns_clone)",
    );

  const bases = await cgroupBases();
  for (const ctrl of ["memory", "pids", "cpu", "cpuacct", "freezer"] as const) {
    const base = bases[ctrl];
    const required = (REQUIRED_CONTROLLERS as string[]).includes(ctrl);
    if (!base) {
      if (required) missing.push(`cgroup v1 controller ${ctrl} is not mounted`);
      else ok.push(`optional cgroup controller ${ctrl} not mounted (skipped)`);
      continue;
    }
    const probeDir = path.join(base, `probe-${newRunId()}`);
    try {
      await mkdir(probeDir, { recursive: true });
      await rmdir(probeDir);
      ok.push(`cgroup ${ctrl} writable (${base})`);
    } catch {
      if (required) missing.push(`cgroup ${ctrl} is not writable at ${base}`);
      else ok.push(`optional cgroup controller ${ctrl} not writable (skipped)`);
    }
  }

  const rt = await loadRuntime(opts.runtimesRoot);
  if (rt) ok.push(`runtimes in ${opts.runtimesRoot}: ${JSON.stringify(rt.versions)}`);
  else
    missing.push(`runtimes missing or incomplete in ${opts.runtimesRoot} (run scripts/install-runtimes.sh)`);

  if (isRoot) {
    try {
      await ensureWorkBase(opts.workBase);
      ok.push(`work base ${opts.workBase}`);
    } catch {
      missing.push(`work base ${opts.workBase} is not a root-owned, non-writable-by-others directory`);
    }
  }

  if (missing.length === 0 && owner) {
    const smoke = await bwrapSmokeTest(opts.bwrapPath, owner.uid, owner.gid, rt?.root ?? "/nonexistent");
    if (smoke === null) ok.push("bwrap starts a sandbox as the sandbox user, and the runtimes run in it");
    else missing.push(`bwrap failed to start a sandbox as ${opts.user}: ${smoke}`);
  }

  return { ok: missing.length === 0, details: [...missing.map((m) => `MISSING: ${m}`), ...ok] };
}

/**
 * Starts the same namespaces a run uses, as the sandbox user, and runs the runtime's Python in it
 * (so a runtime root the sandbox user cannot read is caught here); null on success, else the error.
 */
async function bwrapSmokeTest(
  bwrap: string,
  uid: number,
  gid: number,
  runtimeRoot: string,
): Promise<string | null> {
  const top = await topLevelMounts();
  const args = [
    `--reuid=${uid}`,
    `--regid=${gid}`,
    "--clear-groups",
    "--",
    "/usr/bin/env",
    "-i",
    bwrap,
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--ro-bind",
    "/usr",
    "/usr",
    ...top,
    "--ro-bind",
    "/etc/ld.so.cache",
    "/etc/ld.so.cache",
    "--ro-bind",
    runtimeRoot,
    runtimeRoot,
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--",
    path.join(runtimeRoot, "python", "bin", "python"),
    "-I",
    "-S",
    "-c",
    "pass",
  ];
  return new Promise((resolve) => {
    execFile("/usr/bin/setpriv", args, { timeout: 10_000 }, (err, _stdout, stderr) => {
      resolve(err ? (stderr.trim() || err.message).slice(0, 500) : null);
    });
  });
}

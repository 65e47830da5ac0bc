// The isolated path: stage the run, create its cgroups, start the wrapper chain, watch the limits.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import path from "node:path";
import { bwrapCommand, IN_SANDBOX, inboundRoute, serviceRoute } from "./bwrap-command.ts";
import { type CgroupEvidence, RunCgroup } from "./cgroup.ts";
import { type ResolvedOptions, serverHttpPort } from "./config.ts";
import { SandboxError } from "./errors.ts";
import { loadRuntime, runtimeVersions, serverArgv } from "./runtime.ts";
import { type RawExit, ServerRun } from "./server-run.ts";
import { sweepStaleOnce } from "./sweep.ts";
import {
  assertRunnerInstalled,
  runnerFiles,
  runnerInSandbox,
  TEST_RUN_ENV,
  testRunnerArgv,
} from "./test-runner.ts";
import type { ExitReason, LaunchRequest, SandboxLimits } from "./types.ts";
import { lookupUser } from "./user.ts";
import { ensureWorkBase, removeRunDir, stageRun } from "./workdir.ts";

const MIB = 1024 * 1024;

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** bwrap exits with 128+n when the server died of signal n. */
export function normalizeBwrapExit(raw: RawExit): RawExit {
  if (raw.signal === null && raw.code !== null && raw.code > 128 && raw.code <= 128 + 64) {
    const name = SIGNAL_NAMES.get(raw.code - 128);
    if (name) return { code: null, signal: name };
  }
  return raw;
}

// V8 aborts on heap exhaustion before the cgroup OOM killer acts when --max-old-space-size is hit.
const NODE_HEAP_OOM = /JavaScript heap out of memory|Fatal JavaScript out of memory|Reached heap limit/;

/** A limit the run has hit, judged from the cgroup counters (and the exit, once it is known). */
export function limitHit(
  ev: CgroupEvidence,
  limits: SandboxLimits,
  exit?: RawExit,
  stderr = "",
): ExitReason | null {
  if (ev.oomKills > 0) return "memory-limit";
  if (ev.pidsMaxHits > 0) return "pids-limit";
  if (ev.cpuNanos >= limits.cpuSeconds * 1e9) return "timeout";
  if (exit?.signal === "SIGXCPU") return "timeout";
  if (exit?.signal && NODE_HEAP_OOM.test(stderr)) return "memory-limit";
  return null;
}

export async function launchBwrap(req: LaunchRequest, opts: ResolvedOptions): Promise<ServerRun> {
  const [rt, owner] = await Promise.all([loadRuntime(opts.runtimesRoot), lookupUser(opts.user)]);
  if (!rt || !owner) {
    throw new SandboxError("SANDBOX_UNAVAILABLE", "Sandbox runtimes or sandbox user are missing.", [
      "run scripts/install-runtimes.sh as root",
    ]);
  }
  const tests = req.mode === "tests";
  const runner = runnerFiles(rt);
  if (tests) await assertRunnerInstalled(req.language === "python" ? runner.pytest : runner.vitest);
  await ensureWorkBase(opts.workBase);
  await sweepStaleOnce(opts.workBase);
  const http = req.transport === "http";
  const run = await stageRun(req, opts.workBase, { owner, withSocket: http, hosts: req.hosts });
  let cg: RunCgroup;
  try {
    cg = await RunCgroup.create(run.runId, {
      memoryBytes: req.limits.memoryMb * MIB,
      pids: req.limits.pids,
      cpuCores: opts.cpuCores,
    });
  } catch (err) {
    await removeRunDir(run.dir);
    throw new SandboxError("LAUNCH_FAILED", "The sandbox could not be prepared.", [String(err)]);
  }

  const port = serverHttpPort(req);
  const routes = [
    ...(http ? [inboundRoute(port)] : []),
    ...(req.services ?? []).map((s) => serviceRoute(s.port)),
  ];
  const env: Record<string, string> = {
    PATH: `${path.dirname(rt.pythonBin)}:${path.dirname(rt.nodeBin)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: "/tmp",
    TMPDIR: "/tmp",
    LANG: "C.UTF-8",
    ...(http ? { PORT: String(port) } : {}),
    ...(tests ? TEST_RUN_ENV : {}),
    ...req.env,
  };
  const cmd = await bwrapCommand({
    bwrapPath: opts.bwrapPath,
    owner,
    runtimeRoot: rt.root,
    etcDir: rt.etcDir,
    nodeModules: rt.nodeModules,
    workDir: run.workDir,
    sockDir: run.sockDir,
    relay: { script: rt.relayScript, routes },
    services: req.services,
    hostsFile: run.hostsFile,
    cgroupProcs: cg.procsFiles(),
    rlimits: {
      cpuSeconds: req.limits.cpuSeconds,
      openFiles: req.limits.openFiles,
      fileSizeBytes: req.limits.fileSizeKb * 1024,
    },
    env,
    serverArgv: tests
      ? testRunnerArgv(
          rt,
          req.language,
          runnerInSandbox(runner, req.language, IN_SANDBOX.nodeModules),
          req.limits,
        )
      : serverArgv(rt, req.language, path.posix.join(IN_SANDBOX.workDir, req.entry), req.limits),
  });

  // detached: own session, so a terminal's ^C to the grader does not reach the sandbox directly;
  // bwrap --die-with-parent still takes the sandbox down if the grader dies.
  const child = spawn(cmd.file, cmd.args, {
    // Next.js types make NODE_ENV required in ProcessEnv; the wrapper must not get one.
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });

  const server = new ServerRun(
    child,
    req.limits,
    {
      killTree: async () => {
        // child.kill is a no-op once Node has reaped it, so a recycled pid is never hit.
        child.kill("SIGKILL");
        await cg.killAll();
      },
      probe: async () => limitHit(await cg.evidence(), req.limits),
      normalize: normalizeBwrapExit,
      verdict: async (exit, stderr) => limitHit(await cg.evidence(), req.limits, exit, stderr),
      cpuMs: async () => {
        const nanos = await cg.cpuNanos();
        return nanos === null ? null : Math.round(nanos / 1e6);
      },
      cleanup: async () => {
        await cg.remove();
        await removeRunDir(run.dir);
      },
    },
    {
      runtime: { ...runtimeVersions(rt.versions, req.language, req.mode), sandbox: "bwrap" },
      httpSocketPath: run.sockDir ? path.join(run.sockDir, path.basename(IN_SANDBOX.socket)) : undefined,
      httpPort: http ? port : undefined,
      runId: run.runId,
    },
  );
  await server.assertSpawned();
  return server;
}

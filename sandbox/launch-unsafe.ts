// The opt-out path for local development (SANDBOX=unsafe-local): a plain child process in a temp
// copy of the submission. Still enforced: wall time, output cap, rlimits (CPU, files, file size)
// and the Node heap cap. NOT enforced: filesystem, network, env of the host user, memory and
// process-count limits of the tree, and a daemon that calls setsid() escapes the kill.
import { spawn } from "node:child_process";
import { access, lstat, mkdtemp, rm, symlink } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ResolvedOptions } from "./config.ts";
import { freePort } from "./free-port.ts";
import { loadRuntime, runtimeVersions, serverArgv } from "./runtime.ts";
import { ServerRun } from "./server-run.ts";
import { exposeOnTcp, type TcpBridge } from "./tcp-bridge.ts";
import { assertRunnerInstalled, runnerFiles, TEST_RUN_ENV, testRunnerArgv } from "./test-runner.ts";
import type { LaunchRequest } from "./types.ts";
import { stageRun } from "./workdir.ts";

const BANNER = [
  "",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "!! SANDBOX=unsafe-local: running a learner server WITHOUT isolation.          !!",
  "!! It can read your files, use your network and outlive the run.              !!",
  "!! Use only for local development with code you trust. Never in production.   !!",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "",
].join("\n");

let bannerShown = false;

/** The full banner once per process, then one loud line per launch. */
export function warnUnsafe(reason: string): void {
  const banner = bannerShown ? "" : BANNER;
  bannerShown = true;
  process.stderr.write(`${banner}!! SANDBOX=unsafe-local (NO ISOLATION): ${reason}\n`);
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** Host-side stand-in for the in-sandbox relay, so callers use httpSocketPath the same way. */
function hostRelay(socketPath: string, port: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(port, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve(server));
  });
}

export async function launchUnsafe(req: LaunchRequest, opts: ResolvedOptions): Promise<ServerRun> {
  warnUnsafe(`starting ${req.entry} (${req.language}, ${req.transport}) as a plain process`);
  const rt = await loadRuntime(opts.runtimesRoot);
  const base = await mkdtemp(path.join(tmpdir(), "mcp-lab-unsafe-"));
  let relay: net.Server | undefined;
  const serviceBridges: TcpBridge[] = [];
  let spawned = false;
  try {
    const run = await stageRun(req, base, { withSocket: false });
    const workDir = run.workDir;
    if (
      req.language === "typescript" &&
      !(await lstat(path.join(workDir, "node_modules")).catch(() => null))
    ) {
      const repoModules = fileURLToPath(new URL("../node_modules", import.meta.url));
      await symlink(rt?.nodeModules ?? repoModules, path.join(workDir, "node_modules"));
    }
    const bins = {
      pythonBin: rt?.pythonBin ?? process.env.MCP_LAB_PYTHON ?? "python3",
      nodeBin: rt?.nodeBin ?? process.execPath,
    };
    const http = req.transport === "http";
    const port = http ? Number(req.env?.PORT) || (await freePort()) : undefined;
    const env: Record<string, string> = {
      PATH: [path.dirname(bins.pythonBin), path.dirname(bins.nodeBin), "/usr/local/bin", "/usr/bin", "/bin"]
        .filter((p) => p !== ".")
        .join(":"),
      HOME: workDir,
      TMPDIR: base,
      LANG: "C.UTF-8",
      ...(port ? { PORT: String(port) } : {}),
      ...(req.mode === "tests" ? TEST_RUN_ENV : {}),
      ...req.env,
    };
    let argv = serverArgv(bins, req.language, path.join(workDir, req.entry), req.limits);
    if (req.mode === "tests") {
      const runner = runnerFiles(rt)[req.language === "python" ? "pytest" : "vitest"];
      await assertRunnerInstalled(runner);
      argv = testRunnerArgv(bins, req.language, runner, req.limits);
    }
    const prlimit = "/usr/bin/prlimit";
    const limited = (await exists(prlimit))
      ? [
          prlimit,
          `--cpu=${req.limits.cpuSeconds}:${req.limits.cpuSeconds + 1}`,
          `--nofile=${req.limits.openFiles}:${req.limits.openFiles}`,
          `--fsize=${req.limits.fileSizeKb * 1024}:${req.limits.fileSizeKb * 1024}`,
          "--core=0:0",
          ...argv,
        ]
      : argv;
    const socketPath = http ? path.join(run.dir, "http.sock") : undefined;
    if (socketPath && port) relay = await hostRelay(socketPath, port);
    // Without a network namespace a service's port is the host's: a clash fails the launch loudly.
    for (const service of req.services ?? []) {
      serviceBridges.push(await exposeOnTcp(service.socketPath, "127.0.0.1", service.port));
    }
    if (req.hosts && Object.keys(req.hosts).length) {
      warnUnsafe(`/etc/hosts entries for ${Object.keys(req.hosts).join(", ")} need the sandbox; not applied`);
    }
    const [file, ...args] = limited as [string, ...string[]];
    // detached: its own process group, killed as a group.
    const child = spawn(file, args, {
      cwd: workDir,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const cleanup = async () => {
      await new Promise<void>((r) => (relay ? relay.close(() => r()) : r()));
      await Promise.all(serviceBridges.map((b) => b.close()));
      await rm(base, { recursive: true, force: true, maxRetries: 3 });
    };
    const server = new ServerRun(
      child,
      req.limits,
      {
        killTree: async () => {
          if (child.pid === undefined) return;
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // group already gone
          }
        },
        verdict: async (exit, stderr) => {
          if (exit.signal === "SIGXCPU") return "timeout";
          if (exit.signal && /JavaScript heap out of memory|Reached heap limit/.test(stderr))
            return "memory-limit";
          return null;
        },
        cleanup,
      },
      {
        runtime: {
          ...(rt ? runtimeVersions(rt.versions, req.language, req.mode) : { node: process.versions.node }),
          sandbox: "unsafe-local",
        },
        httpSocketPath: socketPath,
        httpPort: port,
        runId: run.runId,
      },
    );
    // The run cleans up after itself from here on.
    spawned = true;
    await server.assertSpawned();
    return server;
  } catch (err) {
    if (!spawned) {
      relay?.close();
      await Promise.all(serviceBridges.map((b) => b.close()));
      await rm(base, { recursive: true, force: true });
    }
    throw err;
  }
}

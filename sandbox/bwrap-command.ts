// The command line of one sandboxed run:
//   sh (root: joins the run's cgroups) -> prlimit (rlimits) -> setpriv (drops to the sandbox user)
//   -> env -i (clean env) -> bwrap (namespaces, mounts) -> [sh launcher: relay, http only] -> server
// Every step execs the next, so the pid Node holds is the outer bwrap by the time code runs, and
// everything below it was created inside the run's cgroups.
import { lstat, readlink } from "node:fs/promises";
import type { Owner } from "./workdir.ts";

/** Where things are inside the sandbox. */
export const IN_SANDBOX = {
  workDir: "/app",
  sockDir: "/run/mcp",
  socket: "/run/mcp/http.sock",
  nodeModules: "/node_modules",
} as const;

const WRAPPER = [
  'while [ "$1" != "--" ]; do',
  '  echo $$ > "$1" || { echo "sandbox: could not join the run cgroup" >&2; exit 126; }',
  "  shift",
  "done",
  "shift",
  'exec "$@"',
].join("\n");

// HTTP only: starts the relay next to the server. $1: relay script; the rest: the server's argv.
const LAUNCHER = [
  `/usr/bin/python3 -I -S "$1" ${IN_SANDBOX.socket} 127.0.0.1 "$PORT" </dev/null >/dev/null 2>&1 &`,
  "shift",
  'exec "$@"',
].join("\n");

const TOP_DIRS = ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"];

let topCache: Promise<string[]> | undefined;

/** /bin, /lib... as on the host: usrmerge symlinks are recreated, real dirs bound read-only. */
export function topLevelMounts(): Promise<string[]> {
  topCache ??= (async () => {
    const args: string[] = [];
    for (const dir of TOP_DIRS) {
      const st = await lstat(dir).catch(() => null);
      if (!st) continue;
      if (st.isSymbolicLink()) args.push("--symlink", await readlink(dir), dir);
      else if (st.isDirectory()) args.push("--ro-bind", dir, dir);
    }
    return args;
  })();
  return topCache;
}

export interface BwrapCommandSpec {
  bwrapPath: string;
  owner: Owner;
  runtimeRoot: string;
  etcDir: string;
  nodeModules: string;
  workDir: string;
  sockDir?: string;
  relayScript?: string;
  cgroupProcs: string[];
  rlimits: { cpuSeconds: number; openFiles: number; fileSizeBytes: number };
  env: Record<string, string>;
  serverArgv: string[];
}

export async function bwrapCommand(spec: BwrapCommandSpec): Promise<{ file: string; args: string[] }> {
  const { rlimits } = spec;
  const envPairs = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  const mounts = [
    "--ro-bind",
    "/usr",
    "/usr",
    ...(await topLevelMounts()),
    "--ro-bind",
    "/etc/ld.so.cache",
    "/etc/ld.so.cache",
    "--ro-bind-try",
    "/etc/ssl/certs",
    "/etc/ssl/certs",
    "--ro-bind-try",
    "/etc/ssl/openssl.cnf",
    "/etc/ssl/openssl.cnf",
    "--ro-bind-try",
    "/etc/localtime",
    "/etc/localtime",
    ...["passwd", "group", "hosts", "nsswitch.conf"].flatMap((f) => [
      "--ro-bind",
      `${spec.etcDir}/${f}`,
      `/etc/${f}`,
    ]),
    "--ro-bind",
    spec.runtimeRoot,
    spec.runtimeRoot,
    "--ro-bind",
    spec.nodeModules,
    IN_SANDBOX.nodeModules,
    "--bind",
    spec.workDir,
    IN_SANDBOX.workDir,
    ...(spec.sockDir ? ["--bind", spec.sockDir, IN_SANDBOX.sockDir] : []),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    // Last: bwrap's root is a tmpfs it writes mountpoints into; afterwards nobody may write there.
    "--remount-ro",
    "/",
  ];
  const bwrapArgs = [
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--hostname",
    "sandbox",
    ...mounts,
    "--chdir",
    IN_SANDBOX.workDir,
    "--",
    ...(spec.relayScript ? ["/bin/sh", "-c", LAUNCHER, "mcp-launch", spec.relayScript] : []),
    ...spec.serverArgv,
  ];
  const args = [
    "-c",
    WRAPPER,
    "mcp-wrap",
    ...spec.cgroupProcs,
    "--",
    "/usr/bin/prlimit",
    `--cpu=${rlimits.cpuSeconds}:${rlimits.cpuSeconds + 1}`,
    `--nofile=${rlimits.openFiles}:${rlimits.openFiles}`,
    `--fsize=${rlimits.fileSizeBytes}:${rlimits.fileSizeBytes}`,
    "--core=0:0",
    "/usr/bin/setpriv",
    `--reuid=${spec.owner.uid}`,
    `--regid=${spec.owner.gid}`,
    "--clear-groups",
    "--inh-caps=-all",
    "--",
    "/usr/bin/env",
    "-i",
    ...envPairs,
    spec.bwrapPath,
    ...bwrapArgs,
  ];
  return { file: "/bin/sh", args };
}

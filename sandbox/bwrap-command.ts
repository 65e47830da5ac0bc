// The command line of one sandboxed run:
//   sh (root: joins the run's cgroups) -> prlimit (rlimits) -> setpriv (drops to the sandbox user)
//   -> env -i (clean env) -> bwrap (namespaces, mounts) -> [sh launcher: relay routes] -> server
// Every step execs the next, so the pid Node holds is the outer bwrap by the time code runs, and
// everything below it was created inside the run's cgroups.
import { lstat, readlink } from "node:fs/promises";
import type { Owner } from "./workdir.ts";

/** Where things are inside the sandbox. */
export const IN_SANDBOX = {
  workDir: "/app",
  sockDir: "/run/mcp",
  socket: "/run/mcp/http.sock",
  /** Grader-run services: the host socket of the service on port P is bound at <servicesDir>/P.sock. */
  servicesDir: "/run/grader",
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

// Starts the relay (it binds every route, then backgrounds itself) and then the server.
// $1: relay script, $2: routes separated by spaces; the rest: the server's argv.
const LAUNCHER = [
  '/usr/bin/python3 -I -S "$1" $2 </dev/null >/dev/null || { echo "sandbox: the relay could not start" >&2; exit 125; }',
  "shift 2",
  'exec "$@"',
].join("\n");

/** A relay route (see sandbox/runtime/http-relay.py): grader -> server HTTP port. */
export function inboundRoute(port: number): string {
  return `in:${IN_SANDBOX.socket}:${port}`;
}

/** A relay route: server -> 127.0.0.1:port -> the grader's service socket. */
export function serviceRoute(port: number): string {
  return `out:${port}:${serviceSocketInSandbox(port)}`;
}

export function serviceSocketInSandbox(port: number): string {
  return `${IN_SANDBOX.servicesDir}/${port}.sock`;
}

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
  /** Relay routes to start before the server (none: no relay). */
  relay?: { script: string; routes: string[] };
  /** Grader service sockets on the host, by the sandbox port they answer on. */
  services?: Array<{ port: number; socketPath: string }>;
  /** A per-run /etc/hosts replacing the runtime's (lets the grader control name resolution). */
  hostsFile?: string;
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
      f === "hosts" && spec.hostsFile ? spec.hostsFile : `${spec.etcDir}/${f}`,
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
    // Only the socket inode is visible inside, never the grader's directory around it.
    ...(spec.services ?? []).flatMap((s) => ["--ro-bind", s.socketPath, serviceSocketInSandbox(s.port)]),
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
    ...(spec.relay?.routes.length
      ? ["/bin/sh", "-c", LAUNCHER, "mcp-launch", spec.relay.script, spec.relay.routes.join(" ")]
      : []),
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

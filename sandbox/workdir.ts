// Per-run host directories: the work dir (a fresh copy of the submission plus planted files and
// symlinks, owned by the sandbox user) and, for HTTP, the directory that holds the relay's socket.
// Both live under the work base, a tmpfs by default, so whatever the server writes there is
// charged to its memory cgroup and never reaches a disk.
import { randomBytes } from "node:crypto";
import { chmod, cp, lchown, lstat, mkdir, readdir, rm, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { SandboxError } from "./errors.ts";
import type { LaunchRequest } from "./types.ts";

export interface Owner {
  uid: number;
  gid: number;
}

export interface RunDir {
  runId: string;
  /** The run's own directory; removing it removes everything below. */
  dir: string;
  /** The server's work dir: a fresh copy of the submission plus planted files (bound at /app). */
  workDir: string;
  /** Host directory bound at /run/mcp for the HTTP relay's socket. */
  sockDir?: string;
  /** The run's /etc/hosts, when the request adds names to it. */
  hostsFile?: string;
}

const BASE_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";

export function newRunId(): string {
  return `run-${randomBytes(8).toString("hex")}`;
}

/**
 * The base dir is shared by all runs: it must be a real directory owned by root that nobody else
 * can write, or another local user could swap a run dir for a symlink.
 */
export async function ensureWorkBase(base: string): Promise<void> {
  await mkdir(base, { recursive: true, mode: 0o711 });
  const st = await lstat(base);
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) {
    throw new SandboxError(
      "SANDBOX_UNAVAILABLE",
      "Sandbox work directory is not safe to use (wrong owner or permissions).",
      [`work base ${base} must be a directory owned by the grader's user and not group/world-writable`],
    );
  }
}

/** Refuses a planted path whose parent walks through a symlink (root must not write outside). */
async function assertNoSymlinkParents(root: string, rel: string): Promise<void> {
  const parts = path.posix.normalize(rel).split("/").slice(0, -1);
  let cur = root;
  for (const part of parts) {
    cur = path.join(cur, part);
    const st = await lstat(cur).catch(() => null);
    if (!st) return;
    if (st.isSymbolicLink()) {
      throw new SandboxError(
        "INVALID_REQUEST",
        `Invalid launch request: planted path ${rel} crosses a symlink`,
      );
    }
  }
}

async function plant(workDir: string, req: LaunchRequest): Promise<void> {
  for (const [rel, content] of Object.entries(req.plantFiles ?? {})) {
    await assertNoSymlinkParents(workDir, rel);
    const abs = path.join(workDir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    const st = await lstat(abs).catch(() => null);
    if (st?.isSymbolicLink()) await unlink(abs);
    await writeFile(abs, content);
  }
  for (const [rel, target] of Object.entries(req.symlinks ?? {})) {
    await assertNoSymlinkParents(workDir, rel);
    const abs = path.join(workDir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    const st = await lstat(abs).catch(() => null);
    if (st && !st.isDirectory()) await unlink(abs);
    // The target is resolved inside the sandbox, never on the host.
    await symlink(target, abs);
  }
}

async function chownTree(dir: string, owner: Owner): Promise<void> {
  await lchown(dir, owner.uid, owner.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(abs, owner);
    else await lchown(abs, owner.uid, owner.gid);
  }
}

/**
 * Stages a run under `base`. Symlinks in the submission are copied as symlinks (never followed on
 * the host). With `owner`, the staged files belong to the sandbox user and nobody else can read them.
 */
export async function stageRun(
  req: LaunchRequest,
  base: string,
  opts: { owner?: Owner; withSocket: boolean; hosts?: Record<string, string> },
): Promise<RunDir> {
  const runId = newRunId();
  const dir = path.join(base, runId);
  await mkdir(dir, { mode: 0o711 });
  try {
    const workDir = path.join(dir, "work");
    const srcStat = await lstat(req.sourceDir).catch(() => null);
    if (!srcStat?.isDirectory()) {
      throw new SandboxError(
        "INVALID_REQUEST",
        "Invalid launch request: the submission folder does not exist",
      );
    }
    await cp(req.sourceDir, workDir, { recursive: true, dereference: false, verbatimSymlinks: true });
    await plant(workDir, req);
    const entry = await lstat(path.join(workDir, req.entry)).catch(() => null);
    if (!entry?.isFile()) {
      throw new SandboxError("ENTRY_NOT_FOUND", `The entry file ${req.entry} is not in the submission.`);
    }
    let sockDir: string | undefined;
    if (opts.withSocket) {
      sockDir = path.join(dir, "sock");
      await mkdir(sockDir, { mode: 0o700 });
    }
    if (opts.owner) {
      await chownTree(workDir, opts.owner);
      await chmod(workDir, 0o700);
      if (sockDir) await lchown(sockDir, opts.owner.uid, opts.owner.gid);
    }
    let hostsFile: string | undefined;
    if (opts.hosts && Object.keys(opts.hosts).length) {
      hostsFile = path.join(dir, "hosts");
      const lines = Object.entries(opts.hosts).map(([name, ip]) => `${ip}\t${name}\n`);
      await writeFile(hostsFile, BASE_HOSTS + lines.join(""), { mode: 0o644 });
    }
    return { runId, dir, workDir, sockDir, hostsFile };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function removeRunDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

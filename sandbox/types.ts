// The contract between the grading engine (conformance/) and the sandbox.
// conformance/ starts a learner's server only through `launchServer` (sandbox/index.ts),
// and reads the outcome only through these types.
import type { Readable, Writable } from "node:stream";

export type Language = "python" | "typescript";
export type Transport = "stdio" | "http";

/** Per-run limits; every lab may override any of them in lab.yaml. */
export interface SandboxLimits {
  /** Wall-clock time for the whole run, from spawn to kill. */
  wallMs: number;
  /** CPU time (RLIMIT_CPU), seconds. */
  cpuSeconds: number;
  /** Memory of the whole process tree (memory cgroup), MiB. */
  memoryMb: number;
  /** Processes/threads of the whole tree (pids cgroup). */
  pids: number;
  /** Open files per process (RLIMIT_NOFILE). */
  openFiles: number;
  /** Largest file the server may write (RLIMIT_FSIZE), KiB. */
  fileSizeKb: number;
  /** stdout + stderr captured before the run is cut, KiB. */
  outputKb: number;
}

export interface LaunchRequest {
  /** Folder holding the learner's files; copied into a fresh work dir, never mounted writable. */
  sourceDir: string;
  language: Language;
  /** Entry file relative to sourceDir: server.py or server.ts. */
  entry: string;
  transport: Transport;
  limits: SandboxLimits;
  /**
   * "server" (default): run `entry` as the learner's server. "tests": run the learner's test suite
   * in the work dir with the language's pinned runner (pytest or Vitest; the argv is the sandbox's
   * own, see sandbox/test-runner.ts), stdio only: stdout carries the runner's one-line report,
   * stderr everything the suite prints. `entry` is then the test file that must be there.
   */
  mode?: "server" | "tests";
  /** Extra environment for the server (e.g. an upstream URL); the rest is `env -i` clean. */
  env?: Record<string, string>;
  /**
   * Files the grader plants in the work dir before start (attacker fixtures, configs).
   * Keys are relative paths; values are contents. Symlinks via `symlinks`.
   */
  plantFiles?: Record<string, string>;
  symlinks?: Record<string, string>;
  /**
   * Services the grader runs for this server (an upstream API, an authorization server): inside the
   * sandbox, 127.0.0.1:<port> is relayed to the host unix socket at `socketPath`, where the grader
   * listens (sandbox/grader-service.ts makes such a listener). Nothing else is reachable.
   */
  services?: Array<{ port: number; socketPath: string }>;
  /** Extra /etc/hosts entries inside the sandbox (name -> IP): the grader controls name resolution. */
  hosts?: Record<string, string>;
  /**
   * "bwrap" (default): full isolation; refuses to run if isolation is missing.
   * "unsafe-local": plain child process, only when the operator set SANDBOX=unsafe-local.
   */
  isolation?: "bwrap" | "unsafe-local";
}

/** Why a run ended, in the words of the result format's `verdict` where it applies. */
export type ExitReason =
  | "exited" // the process exited by itself (code in `code`)
  | "killed-by-grader" // we stopped it after grading (normal end)
  | "timeout" // wall time or CPU time exceeded
  | "memory-limit" // memory cgroup OOM kill
  | "pids-limit" // tried to start more processes than allowed
  | "output-limit" // wrote more than outputKb
  | "signal"; // died of another signal (in `signal`)

export interface ExitInfo {
  reason: ExitReason;
  code: number | null;
  signal: string | null;
  durationMs: number;
  /**
   * CPU time the whole process tree used (user + system, from the run's cpuacct cgroup, read
   * before the cgroup is removed). Absent when it was not measured (no cpuacct, or unsafe-local).
   */
  cpuMs?: number;
}

export interface RunningServer {
  /** The server's stdin/stdout (for stdio transport; also present for http). */
  stdin: Writable;
  stdout: Readable;
  /** Captured stderr so far, capped at limits.outputKb. */
  stderrText(): string;
  stderrTruncated(): boolean;
  /** Subscribe to stderr chunks as they arrive (for live transcripts). */
  onStderr(listener: (chunk: string) => void): void;
  /**
   * For transport "http": a unix socket path on the host; each connection to it is relayed
   * to 127.0.0.1:<port> inside the sandbox's own network namespace. The server listens on the
   * port given to it in env PORT.
   */
  httpSocketPath?: string;
  /**
   * Added by the sandbox: the port in env PORT that the server listens on. Needed for the Host
   * header of requests over httpSocketPath, because SDK servers bound to localhost reject Hosts
   * other than 127.0.0.1:<port>/localhost:<port> (DNS-rebinding protection).
   */
  httpPort?: number;
  /** Added by the sandbox: id of this run (names its cgroups and work dir; for logs and traces). */
  runId?: string;
  /** Resolves once when the process tree is gone (by itself, by a limit, or by stop()). */
  exited: Promise<ExitInfo>;
  /** Kill the whole tree, remove the work dir and the cgroup. Idempotent. */
  stop(): Promise<ExitInfo>;
  /** Versions of the runtime that ran this server, e.g. { python: "3.11.2", mcp: "2.3.0" }. */
  runtime: Record<string, string>;
}

export interface IsolationReport {
  ok: boolean;
  /** What is available and what is missing, for the startup log and the error message. */
  details: string[];
}

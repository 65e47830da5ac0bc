// "A server under test", whatever started it: the sandbox (graded labs) or a plain local
// process / URL (check-server, the user's own server). The harness only talks to this.
import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import {
  createSocketFetch,
  type ExitInfo,
  type RunningServer,
  type SandboxLimits,
  waitForHttpReady,
} from "../../sandbox/index.ts";

export type Readiness = { ready: true } | { ready: false; reason: "exited" | "timeout" };

export interface ServerTarget {
  readonly transport: "stdio" | "http";
  /** performance.now() when the process was launched: the trace's t = 0. */
  readonly startedAt: number;
  readonly stdin?: Writable;
  readonly stdout?: Readable;
  /**
   * Streamable HTTP: the MCP endpoint URL and a fetch that reaches it; for a sandboxed server
   * also its unix socket and in-sandbox port (a TCP bridge needs them), and the headers the
   * grader's MCP client adds to every request (e.g. a bearer token for a protected server).
   */
  readonly http?: {
    url: string;
    fetch: typeof fetch;
    socketPath?: string;
    port?: number;
    headers?: Record<string, string>;
  };
  /** Versions of the runtime that runs the server (empty when unknown). */
  readonly runtime: Record<string, string>;
  /** False for a bare URL: there is no process, hence no stderr or exit to report. */
  readonly hasProcess: boolean;
  /** Limits it runs under; null when not sandboxed. */
  readonly limits: SandboxLimits | null;
  stderrText(): string;
  stderrTruncated(): boolean;
  onStderr(listener: (chunk: string) => void): void;
  /** Resolves when the process is gone; never resolves for a bare URL. */
  readonly exited: Promise<ExitInfo>;
  /** HTTP: resolves when the server answers HTTP at all. */
  waitReady(timeoutMs: number): Promise<Readiness>;
  /** Stops the server (idempotent); undefined for a bare URL. */
  stop(): Promise<ExitInfo | undefined>;
  /** stdio: starts another instance of the same server, for probes that need a fresh connection. */
  another?(): Promise<ServerTarget>;
}

/** A sandboxed learner server. `relaunch` starts another one with the same request. */
export function sandboxTarget(
  server: RunningServer,
  options: {
    transport: "stdio" | "http";
    startedAt: number;
    limits: SandboxLimits;
    httpPath: string;
    relaunch?: () => Promise<ServerTarget>;
    /** Headers for the grader's MCP client connections (LabEnvironment.httpHeaders). */
    httpHeaders?: Record<string, string>;
  },
): ServerTarget {
  const socketPath = server.httpSocketPath;
  const http =
    options.transport === "http" && socketPath
      ? {
          // The host part is only the Host header: SDK servers accept 127.0.0.1:<their port>.
          url: `http://127.0.0.1${server.httpPort ? `:${server.httpPort}` : ""}${options.httpPath}`,
          fetch: createSocketFetch(socketPath),
          socketPath,
          port: server.httpPort,
          ...(options.httpHeaders ? { headers: options.httpHeaders } : {}),
        }
      : undefined;
  return {
    transport: options.transport,
    startedAt: options.startedAt,
    stdin: server.stdin,
    stdout: server.stdout,
    http,
    runtime: server.runtime,
    hasProcess: true,
    limits: options.limits,
    stderrText: () => server.stderrText(),
    stderrTruncated: () => server.stderrTruncated(),
    onStderr: (l) => server.onStderr(l),
    exited: server.exited,
    async waitReady(timeoutMs) {
      if (options.transport !== "http") return { ready: true };
      const r = await waitForHttpReady(server, timeoutMs);
      return r.ready ? { ready: true } : { ready: false, reason: r.reason };
    },
    stop: () => server.stop(),
    another: options.relaunch,
  };
}

const LOCAL_STDERR_CAP = 256 * 1024;

/**
 * A user's own server started with a shell command (check-server --stdio). Not sandboxed: it is
 * the user's code on the user's machine. Killed as a process group at stop().
 */
export function localCommandTarget(command: string, options: { cwd?: string } = {}): ServerTarget {
  const startedAt = performance.now();
  const child = spawn("/bin/sh", ["-c", command], {
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  child.stdin.on("error", () => undefined);
  let stderr = "";
  let truncated = false;
  const listeners: ((chunk: string) => void)[] = [];
  const decoder = new StringDecoder("utf8");
  child.stderr.on("data", (chunk: Buffer) => {
    const text = decoder.write(chunk);
    for (const l of listeners) l(text);
    if (stderr.length + text.length > LOCAL_STDERR_CAP) {
      stderr += text.slice(0, Math.max(0, LOCAL_STDERR_CAP - stderr.length));
      truncated = true;
    } else stderr += text;
  });
  let stopping = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    const done = (code: number | null, signal: string | null) =>
      resolve({
        reason: stopping ? "killed-by-grader" : code === null ? "signal" : "exited",
        code,
        signal,
        durationMs: Math.round(performance.now() - startedAt),
      });
    child.once("error", () => done(null, null));
    child.once("exit", (code, signal) => done(code, signal));
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const self: ServerTarget = {
    transport: "stdio",
    startedAt,
    stdin: child.stdin,
    stdout: child.stdout,
    runtime: {},
    hasProcess: true,
    limits: null,
    stderrText: () => stderr,
    stderrTruncated: () => truncated,
    onStderr: (l) => listeners.push(l),
    exited,
    waitReady: async () => ({ ready: true }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        killGroup("SIGKILL");
        return exited;
      }
      stopping = true;
      if (!child.stdin.writableEnded) child.stdin.end();
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 2000);
      const info = await exited;
      clearTimeout(timer);
      killGroup("SIGKILL"); // anything the server left behind in its group
      return info;
    },
    another: async () => localCommandTarget(command, options),
  };
  return self;
}

/** A server already listening at a URL (check-server --url): nothing to start or stop. */
export function urlTarget(url: string): ServerTarget {
  return {
    transport: "http",
    startedAt: performance.now(),
    http: { url, fetch: (input, init) => fetch(input, init) },
    runtime: {},
    hasProcess: false,
    limits: null,
    stderrText: () => "",
    stderrTruncated: () => false,
    onStderr: () => undefined,
    exited: new Promise<ExitInfo>(() => undefined),
    waitReady: async () => ({ ready: true }),
    stop: async () => undefined,
  };
}

// One running server, whatever the isolation: output accounting, wall timer, limit probes,
// the exit verdict and the teardown. The isolation-specific parts come in as hooks.
import type { ChildProcessByStdio } from "node:child_process";
import { PassThrough, type Readable, type Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { SandboxError } from "./errors.ts";
import type { ExitInfo, ExitReason, RunningServer, SandboxLimits } from "./types.ts";

export interface RawExit {
  code: number | null;
  signal: string | null;
}

export interface RunHooks {
  /** Kills every process of the run (idempotent, safe after exit). */
  killTree(): Promise<void>;
  /** Polled while running: a reason to stop the run now (a limit was hit), or null. */
  probe?(): Promise<ExitReason | null>;
  /** After the tree is gone: why it ended (from cgroup evidence), or null to decide from the exit status. */
  verdict?(raw: RawExit, stderr: string): Promise<ExitReason | null>;
  /** CPU time of the whole tree so far, in ms, or null when it cannot be measured. Read before cleanup. */
  cpuMs?(): Promise<number | null>;
  /** Maps the wrapper's exit status to the server's (bwrap reports a signal death as 128+n). */
  normalize?(raw: RawExit): RawExit;
  /** Removes cgroups, work dirs, relays. Runs once, after verdict. */
  cleanup(): Promise<void>;
}

export interface RunMeta {
  runtime: Record<string, string>;
  httpSocketPath?: string;
  httpPort?: number;
  runId: string;
}

const PROBE_INTERVAL_MS = 100;
// How long to wait for stdout/stderr to drain after the process tree is gone.
const DRAIN_MS = 500;

export class ServerRun implements RunningServer {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly runtime: Record<string, string>;
  readonly httpSocketPath?: string;
  readonly httpPort?: number;
  readonly runId: string;
  readonly exited: Promise<ExitInfo>;

  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly hooks: RunHooks;
  private readonly outputCap: number;
  private readonly startedAt = performance.now();
  private killReason: ExitReason | null = null;
  private done = false;
  private outputBytes = 0;
  private stderrBuf = "";
  private truncated = false;
  private readonly listeners: Array<(chunk: string) => void> = [];
  private readonly decoder = new StringDecoder("utf8");
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    child: ChildProcessByStdio<Writable, Readable, Readable>,
    limits: SandboxLimits,
    hooks: RunHooks,
    meta: RunMeta,
  ) {
    this.child = child;
    this.hooks = hooks;
    this.outputCap = limits.outputKb * 1024;
    this.runtime = meta.runtime;
    this.httpSocketPath = meta.httpSocketPath;
    this.httpPort = meta.httpPort;
    this.runId = meta.runId;
    this.stdin = child.stdin;
    // Writes after the server died raise EPIPE; that is reported through `exited`, not as a crash.
    child.stdin.on("error", () => undefined);
    const out = new PassThrough();
    this.stdout = out;

    // stdout is read eagerly so the output cap holds even when nobody consumes it; what we keep
    // buffered is bounded by the cap.
    child.stdout.on("data", (chunk: Buffer) => {
      if (!this.count(chunk.length)) return;
      out.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (!this.count(chunk.length)) return;
      this.captureStderr(chunk);
    });

    this.timers.push(setTimeout(() => this.trip("timeout"), limits.wallMs));
    if (hooks.probe) this.startProbe(hooks.probe);

    for (const s of [child.stdout, child.stderr]) s.on("error", () => undefined);

    this.exited = new Promise<ExitInfo>((resolve) => {
      let finishing = false;
      const end = (raw: RawExit, spawnFailed: boolean) => {
        if (finishing) return;
        finishing = true;
        void this.finish(raw, spawnFailed).then(resolve);
      };
      // Without a pid the spawn itself failed and no 'exit' will come; later errors are ignored.
      child.on("error", () => {
        if (child.pid === undefined) end({ code: null, signal: null }, true);
      });
      child.once("exit", (code, signal) => end({ code, signal }, false));
    }).finally(() => out.end());
  }

  /**
   * Throws LAUNCH_FAILED (after cleaning up) when the process could not be spawned at all; Node
   * knows synchronously: a spawned child has a pid.
   */
  async assertSpawned(): Promise<void> {
    if (this.child.pid !== undefined) return;
    await this.exited;
    throw new SandboxError("LAUNCH_FAILED", "The server process could not be started.");
  }

  stderrText(): string {
    return this.stderrBuf;
  }

  stderrTruncated(): boolean {
    return this.truncated;
  }

  onStderr(listener: (chunk: string) => void): void {
    this.listeners.push(listener);
  }

  stop(): Promise<ExitInfo> {
    this.trip("killed-by-grader");
    return this.exited;
  }

  /** Counts output bytes; false (and the run is cut) once the cap is passed. */
  private count(n: number): boolean {
    this.outputBytes += n;
    if (this.outputBytes > this.outputCap) {
      this.truncated = true;
      this.trip("output-limit");
      return false;
    }
    return true;
  }

  private captureStderr(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    this.stderrBuf += text;
    for (const l of this.listeners) l(text);
  }

  private trip(reason: ExitReason): void {
    if (this.done || this.killReason) return;
    this.killReason = reason;
    void this.hooks.killTree();
  }

  private startProbe(probe: () => Promise<ExitReason | null>): void {
    let busy = false;
    const t = setInterval(() => {
      if (busy || this.done) return;
      busy = true;
      probe()
        .then((reason) => {
          if (reason) this.trip(reason);
        })
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, PROBE_INTERVAL_MS);
    this.timers.push(t);
  }

  private async finish(raw: RawExit, spawnFailed: boolean): Promise<ExitInfo> {
    this.done = true;
    for (const t of this.timers) clearTimeout(t);
    const durationMs = Math.round(performance.now() - this.startedAt);
    await this.hooks.killTree().catch(() => undefined);
    await this.drain();
    const norm = this.hooks.normalize ? this.hooks.normalize(raw) : raw;
    let reason: ExitReason | null = this.killReason;
    if (!reason && this.hooks.verdict) {
      reason = await this.hooks.verdict(norm, this.stderrBuf).catch(() => null);
    }
    // The tree is dead, so the counter is final; it goes away with the cgroup.
    const cpuMs = this.hooks.cpuMs ? await this.hooks.cpuMs().catch(() => null) : null;
    await this.hooks.cleanup().catch(() => undefined);
    if (spawnFailed) {
      return { reason: "exited", code: null, signal: null, durationMs };
    }
    if (!reason) reason = norm.signal ? "signal" : "exited";
    return { reason, code: norm.code, signal: norm.signal, durationMs, ...(cpuMs === null ? {} : { cpuMs }) };
  }

  /** Waits for the pipes to close (everything written before death is kept), bounded in time. */
  private async drain(): Promise<void> {
    const streams = [this.child.stdout, this.child.stderr];
    await Promise.race([
      Promise.all(
        streams.map((s) =>
          s.readableEnded || s.destroyed ? Promise.resolve() : new Promise<void>((r) => s.once("close", r)),
        ),
      ),
      new Promise<void>((r) => setTimeout(r, DRAIN_MS).unref()),
    ]);
    for (const s of streams) s.destroy();
    const tail = this.decoder.end();
    if (tail) {
      this.stderrBuf += tail;
      for (const l of this.listeners) l(tail);
    }
  }
}

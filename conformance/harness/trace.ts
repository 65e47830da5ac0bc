// The trace: every JSON-RPC message both ways, and every stdout line that was not JSON-RPC,
// stamped with ms since the server was launched. Capped so a chatty server cannot blow up a result.
import type { TraceEntry } from "../result.ts";

export interface TraceLimits {
  maxEntries: number;
  maxBytes: number;
}

export const defaultTraceLimits: TraceLimits = { maxEntries: 2000, maxBytes: 1024 * 1024 };

export type TraceListener = (entry: TraceEntry) => void;

export class TraceRecorder {
  private readonly entries: TraceEntry[] = [];
  private readonly noise: { t: number; text: string }[] = [];
  private bytes = 0;
  private truncated = false;
  private readonly listeners: TraceListener[] = [];

  constructor(
    /** performance.now() at launch; entries are relative to it. */
    readonly origin: number = performance.now(),
    private readonly limits: TraceLimits = defaultTraceLimits,
  ) {}

  now(): number {
    return Math.max(0, Math.round(performance.now() - this.origin));
  }

  onEntry(listener: TraceListener): void {
    this.listeners.push(listener);
  }

  message(dir: "c2s" | "s2c", msg: object): void {
    this.push({ dir, t: this.now(), msg: msg as Record<string, unknown> }, JSON.stringify(msg).length);
  }

  /** A stdout line that is not a JSON-RPC message. Kept in full (capped) for the stdout check too. */
  stdoutLine(text: string): void {
    const t = this.now();
    if (this.noise.length < 200) this.noise.push({ t, text: text.slice(0, 2000) });
    this.push({ dir: "s2c", t, stdout: text.slice(0, 4000) }, text.length);
  }

  /** ms of the first thing the server wrote on the protocol channel (a message or a stray line). */
  firstServerOutputAt: number | null = null;

  private push(entry: TraceEntry, size: number): void {
    if (entry.dir === "s2c" && this.firstServerOutputAt === null) this.firstServerOutputAt = entry.t;
    // Listeners (the live transcript) see everything, even past the stored cap.
    for (const l of this.listeners) l(entry);
    if (this.truncated) return;
    if (this.entries.length >= this.limits.maxEntries || this.bytes + size > this.limits.maxBytes) {
      this.truncated = true;
      return;
    }
    this.bytes += size;
    this.entries.push(entry);
  }

  stdoutNoise(): { t: number; text: string }[] {
    return [...this.noise];
  }

  snapshot(): { trace: TraceEntry[]; traceTruncated: boolean } {
    return { trace: [...this.entries], traceTruncated: this.truncated };
  }
}

// Turns the engine's live GradeEvents into stored SubmissionEvents: in order, batched (one insert
// every FLUSH_MS at most), with live stderr and trace capped so a server
// that floods its output cannot flood the database. The final result keeps its own capped record.
import type { GradeEvent } from "../../conformance/events.ts";
import type { TraceEntry } from "../../conformance/result.ts";
import type { Db } from "../db/client.ts";
import { log } from "../log.ts";
import type { SubmissionEventData } from "../submissions/events.ts";
import { notifySubmission } from "../submissions/notify.ts";
import { appendEvents, type Claim } from "../submissions/store.ts";

const FLUSH_MS = 150;
export const LIVE_STDERR_BYTES = 256 * 1024;
export const LIVE_TRACE_ENTRIES = 1000;
export const LIVE_TRACE_BYTES = 1024 * 1024;

/** Grader log lines that carry internals (stack traces, host paths) stay in our logs only. */
function isInternal(message: string): boolean {
  return /internal error|\n\s+at\s|\/(root|home|usr|opt|tmp|dev\/shm)\//.test(message);
}

export class EventSink {
  private pending: SubmissionEventData[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stderrBytes = 0;
  private traceEntries = 0;
  private traceBytes = 0;
  private stderrCut = false;
  private traceCut = false;
  /** Another attempt owns the submission now: stop writing. */
  superseded = false;

  constructor(
    private readonly db: Db,
    private readonly claim: Claim,
  ) {}

  push(event: SubmissionEventData): void {
    if (this.superseded) return;
    const last = this.pending[this.pending.length - 1];
    // Consecutive output merges into one event.
    if (event.type === "stderr" && last?.type === "stderr") last.chunk += event.chunk;
    else if (event.type === "trace" && last?.type === "trace") last.entries.push(...event.entries);
    else this.pending.push(event);
    // One insert per FLUSH_MS at most: checks often finish milliseconds apart, and the learner sees
    // them within a blink either way.
    this.flushSoon();
  }

  /** The engine's event, translated; output beyond the live caps is dropped with one notice. */
  fromGrade(event: GradeEvent): void {
    switch (event.type) {
      case "started":
        this.push({ type: "started", seed: event.seed, checks: event.checks });
        return;
      case "phase":
        this.push({ type: "phase", phase: event.phase });
        return;
      case "check-started":
        this.push({
          type: "check-started",
          id: event.id,
          title: event.title,
          index: event.index,
          total: event.total,
        });
        return;
      case "check-finished":
        this.push({ type: "check-finished", index: event.index, total: event.total, result: event.result });
        return;
      case "log":
        if (!isInternal(event.message)) this.push({ type: "log", message: event.message });
        return;
      case "stderr":
        this.stderr(event.chunk);
        return;
      case "trace":
        this.trace(event.entry);
        return;
      case "finished":
        // The result is written by finishOnce, with its own `finished` event.
        return;
    }
  }

  private stderr(chunk: string): void {
    if (this.stderrCut) return;
    const room = LIVE_STDERR_BYTES - this.stderrBytes;
    if (chunk.length > room) {
      if (room > 0) this.push({ type: "stderr", chunk: chunk.slice(0, room) });
      this.stderrCut = true;
      this.push({ type: "output-truncated", what: "stderr" });
      return;
    }
    this.stderrBytes += chunk.length;
    this.push({ type: "stderr", chunk });
  }

  private trace(entry: TraceEntry): void {
    if (this.traceCut) return;
    const size = JSON.stringify(entry).length;
    if (this.traceEntries + 1 > LIVE_TRACE_ENTRIES || this.traceBytes + size > LIVE_TRACE_BYTES) {
      this.traceCut = true;
      this.push({ type: "output-truncated", what: "trace" });
      return;
    }
    this.traceEntries++;
    this.traceBytes += size;
    this.push({ type: "trace", entries: [entry] });
  }

  private flushSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, FLUSH_MS);
  }

  /** Writes what is pending; resolves when everything pushed so far is stored (or dropped). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(async () => {
      if (batch.length === 0 || this.superseded) return;
      try {
        const owned = await appendEvents(this.db, this.claim, batch);
        if (!owned) this.superseded = true;
        else notifySubmission(this.claim.submissionId);
      } catch (error) {
        // Live progress is best effort; the result is what must not be lost.
        log.warn({ err: error, submissionId: this.claim.submissionId }, "worker: storing events failed");
      }
    });
    return this.chain;
  }
}

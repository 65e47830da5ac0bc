// In-process wake-ups for event streams: when a worker in this process stores events, the SSE
// streams of that submission read them at once instead of at their next poll. Streams still poll,
// because the worker may be another process (npm run worker).
import { EventEmitter } from "node:events";

const holder = globalThis as unknown as { mcpLabSubmissionBus?: EventEmitter };

function bus(): EventEmitter {
  if (!holder.mcpLabSubmissionBus) {
    holder.mcpLabSubmissionBus = new EventEmitter();
    holder.mcpLabSubmissionBus.setMaxListeners(0);
  }
  return holder.mcpLabSubmissionBus;
}

export function notifySubmission(submissionId: string): void {
  bus().emit(submissionId);
}

/** Resolves on the next notification for this submission, after `timeoutMs`, or on abort. */
export function waitForSubmission(
  submissionId: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      bus().off(submissionId, done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    bus().on(submissionId, done);
    signal?.addEventListener("abort", done, { once: true });
  });
}

// Judges retry timing from when the upstream saw each attempt. Concurrent calls that fail at the
// same moment are the case jitter exists for: without it their retries arrive together.
// Thresholds leave room for a loaded machine: they compare gaps with each other, never with an
// exact number of milliseconds, except for the floor that tells "no wait at all" apart.

/** A retry that follows its failure sooner than this did not wait (README asks for >= 50 ms). */
export const MIN_GAP_MS = 40;
/** The mean wait before the 3rd attempt must be at least this multiple of the wait before the 2nd. */
export const MIN_GROWTH = 1.3;
/** Across calls, waits that all lie within this many ms of each other were not randomised. */
export const MIN_SPREAD_MS = 20;

export interface BackoffVerdict {
  ok: boolean;
  /** What is wrong, for a learner; undefined when ok. */
  problem?: string;
  hint?: string;
  /** The measured waits, in words. */
  summary: string;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
const fmt = (xs: number[]) => `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))} ms (mean ${Math.round(mean(xs))})`;

/** `arrivals[i]` holds the arrival times (ms) of call i's three attempts, in order. */
export function judgeBackoff(arrivals: number[][]): BackoffVerdict {
  const first = arrivals.map((a) => a[1] - a[0]);
  const second = arrivals.map((a) => a[2] - a[1]);
  const summary = `waits before attempt 2: ${fmt(first)}; before attempt 3: ${fmt(second)}`;
  const shortest = Math.min(...first, ...second);
  if (shortest < MIN_GAP_MS) {
    return {
      ok: false,
      summary,
      problem: `A retry followed its failure after only ${Math.round(shortest)} ms (${summary}).`,
      hint: "Wait before retrying: at least 50 ms before the 2nd attempt and longer before the 3rd (e.g. d = 100 ms * 2^(n-1), sleep d/2 + random(0, d/2)).",
    };
  }
  if (mean(second) < MIN_GROWTH * mean(first)) {
    return {
      ok: false,
      summary,
      problem: `The waits do not grow: ${summary}. The wait before the 3rd attempt should be about twice the wait before the 2nd.`,
      hint: "Back off exponentially: double the base delay for every retry (100 ms, 200 ms, ...), then add jitter.",
    };
  }
  if (spread(first) < MIN_SPREAD_MS && spread(second) < MIN_SPREAD_MS) {
    return {
      ok: false,
      summary,
      problem: `${arrivals.length} calls that failed at the same moment retried in lockstep: ${summary}.`,
      hint: "Add random jitter to every wait (e.g. d/2 + random(0, d/2)) so that callers who failed together do not all retry together.",
    };
  }
  return { ok: true, summary };
}

// Judges retry timing from when the upstream saw each attempt of a call (503, 503, then 200).
//
// Timing on a shared machine is noisy, and the noise is one-sided: a stalled process makes a wait
// look longer, never shorter. So:
// - a wait shorter than its floor is proof (README: at least 50 ms before the 2nd attempt and
//   100 ms before the 3rd); no noise can make a wait look shorter than it was;
// - growth compares medians of calls made one after another, so a stall in one call cannot
//   decide it, and a round that fails is measured again with fresh calls;
// - jitter is judged on calls made at the same moment by the ORDER of their retries. Without
//   jitter, equal waits preserve order: calls retry in the order they failed, however loaded the
//   machine (a stall delays every timer alike, it does not shuffle them). With random waits the
//   order shuffles. Pairs of calls swapped between attempts 1 -> 2 and 2 -> 3 are counted over up
//   to three rounds of 8 calls. Measured here under heavy load: 0-4 swaps per round without
//   jitter, 5-29 (typically 10-20) with half-length jitter.

/** Floors of the waits before the 2nd and the 3rd attempt, a little under the README's 50/100 ms. */
export const MIN_FIRST_WAIT_MS = 40;
export const MIN_SECOND_WAIT_MS = 90;
/** The median wait before the 3rd attempt must be at least this multiple of the one before the 2nd. */
export const MIN_GROWTH = 1.3;
/** Swapped pairs (over all rounds so far) that prove jitter; lockstep retries swap almost none. */
export const MIN_SWAPS = 12;

export interface TimingVerdict {
  ok: boolean;
  /** The failure cannot be noise: measuring again would not change it. */
  decisive: boolean;
  /** What is wrong, for a learner; undefined when ok. */
  problem?: string;
  hint?: string;
  /** The measured waits, in words. */
  summary: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const describe = (xs: number[]) =>
  `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))} ms (median ${Math.round(median(xs))})`;

/** The waits before attempts 2 and 3, from each call's three arrival times. */
function waits(arrivals: number[][]): { first: number[]; second: number[]; summary: string } {
  const first = arrivals.map((a) => a[1] - a[0]);
  const second = arrivals.map((a) => a[2] - a[1]);
  return {
    first,
    second,
    summary: `waits before attempt 2: ${describe(first)}; before attempt 3: ${describe(second)}`,
  };
}

/** Backoff: every retry waits, and the second wait is clearly longer than the first. Rounds are pooled. */
export function judgeBackoff(rounds: number[][][]): TimingVerdict {
  const { first, second, summary } = waits(rounds.flat());
  const shortFirst = Math.min(...first);
  const shortSecond = Math.min(...second);
  if (shortFirst < MIN_FIRST_WAIT_MS || shortSecond < MIN_SECOND_WAIT_MS) {
    const [which, ms, floor] =
      shortFirst < MIN_FIRST_WAIT_MS ? ["2nd", shortFirst, 50] : ["3rd", shortSecond, 100];
    return {
      ok: false,
      decisive: true,
      summary,
      problem: `The ${which} attempt followed its failure after only ${Math.round(ms)} ms; wait at least ${floor} ms (${summary}).`,
      hint: "Wait before retrying, longer each time: d = 100 ms * 2^(n-1), sleep d/2 + random(0, d/2) gives 50-100 ms, then 100-200 ms. Full jitter (random(0, d)) can sleep 0 ms: a retry storm.",
    };
  }
  if (median(second) < MIN_GROWTH * median(first)) {
    return {
      ok: false,
      decisive: false,
      summary,
      problem: `The waits do not grow: ${summary}. The wait before the 3rd attempt should be about twice the wait before the 2nd.`,
      hint: "Back off exponentially: double the base delay for every retry (100 ms, 200 ms, ...), then add jitter.",
    };
  }
  return { ok: true, decisive: false, summary };
}

/** Pairs (i, j) whose order in `after` differs from their order in `before`. */
function swappedPairs(before: number[], after: number[]): number {
  let swapped = 0;
  for (let i = 0; i < before.length; i++) {
    for (let j = i + 1; j < before.length; j++) {
      if ((before[i] - before[j]) * (after[i] - after[j]) < 0) swapped++;
    }
  }
  return swapped;
}

/** Jitter: calls that failed together do not retry in the order they failed. `rounds[r][i]`: call i's arrivals. */
export function judgeJitter(rounds: number[][][]): TimingVerdict {
  let swapped = 0;
  let pairs = 0;
  for (const arrivals of rounds) {
    const column = (k: number) => arrivals.map((a) => a[k]);
    swapped += swappedPairs(column(0), column(1)) + swappedPairs(column(1), column(2));
    pairs += arrivals.length * (arrivals.length - 1);
  }
  const calls = rounds.reduce((n, r) => n + r.length, 0);
  const summary = `${waits(rounds.flat()).summary}; ${swapped} of ${pairs} pairs of calls changed order between attempts`;
  if (swapped < MIN_SWAPS) {
    return {
      ok: false,
      decisive: false,
      summary,
      problem: `Calls that failed at the same moment retried in lockstep, in the order they had failed: over ${rounds.length} round${rounds.length === 1 ? "" : "s"} of ${calls / rounds.length} concurrent calls, ${swapped} of ${pairs} pairs changed order between attempts (random waits shuffle a third to a half of them).`,
      hint: "Add random jitter to every wait (e.g. d/2 + random(0, d/2)) so that callers who failed together do not all retry together.",
    };
  }
  return { ok: true, decisive: false, summary };
}

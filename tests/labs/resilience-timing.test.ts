// How the resilience-observability lab judges retry timing (labs/resilience-observability/backoff.ts),
// on made-up arrival times: what passes, what fails, and that a stall (which only ever delays)
// neither hides a missing backoff nor fakes jitter.
import { describe, expect, it } from "vitest";
import { judgeBackoff, judgeJitter, MIN_SWAPS } from "../../labs/resilience-observability/backoff.ts";

/** Arrival times of three attempts that start at `t0` and wait `w1`, then `w2` (+ 2 ms per exchange). */
const call = (t0: number, w1: number, w2: number) => [t0, t0 + 2 + w1, t0 + 4 + w1 + w2];

// Deterministic "random" waits: a fixed shuffle of equal-jitter values (50-100 ms, then 100-200 ms).
const FIRST = [52, 97, 61, 88, 74, 55, 93, 67];
const SECOND = [181, 104, 147, 122, 196, 133, 110, 168];

describe("judgeBackoff", () => {
  it("passes waits with a floor that double (equal jitter)", () => {
    const verdict = judgeBackoff([FIRST.slice(0, 5).map((w, i) => call(i * 1000, w, SECOND[i]))]);
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.summary).toMatch(/before attempt 2: 54-99 ms .*before attempt 3: 106-198 ms/);
  });

  it("fails a retry that did not wait, and says it is not noise", () => {
    const verdict = judgeBackoff([[call(0, 2, 150), call(1000, 60, 150)]]);
    expect(verdict).toMatchObject({ ok: false, decisive: true });
    expect(verdict.problem).toMatch(/2nd attempt followed its failure after only 4 ms; wait at least 50 ms/);
  });

  it("fails full jitter's short second waits", () => {
    const verdict = judgeBackoff([[call(0, 60, 30), call(1000, 70, 160)]]);
    expect(verdict).toMatchObject({ ok: false, decisive: true });
    expect(verdict.problem).toMatch(/3rd attempt .* wait at least 100 ms/);
  });

  it("fails waits that do not grow, even when one call is stalled", () => {
    const rounds = [
      [
        call(0, 100, 100),
        call(1000, 100, 100),
        call(2000, 100, 400),
        call(3000, 100, 100),
        call(4000, 100, 100),
      ],
    ];
    const verdict = judgeBackoff(rounds);
    expect(verdict).toMatchObject({ ok: false, decisive: false });
    expect(verdict.problem).toMatch(/The waits do not grow/);
  });

  it("pools rounds: a second round adds samples instead of a second chance", () => {
    const noisy = [
      call(0, 100, 100),
      call(1000, 100, 100),
      call(2000, 100, 400),
      call(3000, 100, 400),
      call(4000, 100, 400),
    ];
    const flat = [0, 1, 2, 3, 4].map((i) => call(5000 + i * 1000, 100, 100));
    expect(judgeBackoff([noisy]).ok).toBe(true);
    expect(judgeBackoff([noisy, flat]).ok).toBe(false);
  });
});

describe("judgeJitter", () => {
  // Eight calls failing within a few ms of each other.
  const starts = [0, 1, 2, 3, 4, 5, 6, 7];

  it("passes random waits: the retries change order", () => {
    const verdict = judgeJitter([starts.map((t, i) => call(t, FIRST[i], SECOND[i]))]);
    expect(verdict.ok).toBe(true);
    expect(verdict.summary).toMatch(/(\d+) of 56 pairs of calls changed order/);
  });

  it("fails equal waits: calls retry in the order they failed", () => {
    const verdict = judgeJitter([starts.map((t) => call(t, 100, 200))]);
    expect(verdict).toMatchObject({ ok: false, decisive: false });
    expect(verdict.problem).toMatch(/retried in lockstep.*0 of 56 pairs changed order/);
  });

  it("still fails equal waits when a stall delays the retries unevenly", () => {
    // The last four retries waited 40 ms longer: later, but still in the same order.
    const verdict = judgeJitter([starts.map((t, i) => call(t, 100 + (i >= 4 ? 40 : 0), 200))]);
    expect(verdict.ok).toBe(false);
  });

  it("adds up swapped pairs over rounds", () => {
    // The first call to fail retries last: 7 swapped pairs a round, under MIN_SWAPS alone.
    const round = starts.map((t, i) => call(t, i === 0 ? 110 : 100, 200));
    expect(7).toBeLessThan(MIN_SWAPS);
    expect(judgeJitter([round]).ok).toBe(false);
    expect(judgeJitter([round, round]).ok).toBe(true);
  });
});

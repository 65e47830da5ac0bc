// Where "the lines this check caused" begin on a server's stderr. A server may log a call after it
// has answered it (an access log written when the response ends), and stderr reaches the grader
// through a pipe a moment after the answer; so a check that counts log lines must not start
// counting while the previous check's last lines are still arriving.
import { setTimeout as delay } from "node:timers/promises";
import type { CheckContext } from "./check-api.ts";

/**
 * Waits until stderr has not grown for `quietMs` (giving up after `maxMs`: a server that logs
 * without pause is still graded) and returns its length then: count lines after this offset.
 */
export async function quietStderrMark(ctx: CheckContext, quietMs = 150, maxMs = 1500): Promise<number> {
  const started = performance.now();
  let length = ctx.stderr().length;
  let quietSince = performance.now();
  while (performance.now() - quietSince < quietMs && performance.now() - started < maxMs) {
    await delay(25, undefined, { signal: ctx.signal });
    const now = ctx.stderr().length;
    if (now !== length) {
      length = now;
      quietSince = performance.now();
    }
  }
  return length;
}

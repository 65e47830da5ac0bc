// cancellation-stops-work: the grader cancels a running slow_count and watches jobs://{job} (the
// side effect), never the cancelled call's reply: the tick count must stop growing.
import type { CheckContext } from "../../conformance/check-api.ts";
import { CheckFailure, describe } from "../../conformance/check-api.ts";
import { jobHandle } from "./generate.ts";
import { jobUri, pause, readJob, waitForTicks } from "./jobs.ts";
import { callFailed, callSlowCount } from "./slow-count.ts";

/** How long after the cancellation the work may take to come to rest. */
const SETTLE_WITHIN_MS = 2000;

/** A long list of samples as its first two and last two. */
const brief = (items: string[]): string =>
  items.length <= 4 ? items.join(", ") : [...items.slice(0, 2), "...", ...items.slice(-2)].join(", ");

export async function cancellationStopsWork(ctx: CheckContext): Promise<string> {
  const delay = ctx.random.int(30, 40);
  const args = { job: jobHandle(ctx.random), n: ctx.random.int(150, 200), delay_ms: delay };
  const sent = `tools/call slow_count ${describe(args)}, then notifications/cancelled for it`;
  const controller = new AbortController();
  let callError: unknown;
  callSlowCount(ctx, args, { signal: controller.signal, timeout: 20_000 }).catch((err: unknown) => {
    if (!controller.signal.aborted) callError = err;
  });
  try {
    await waitForTicks(ctx, args.job, 2, delay, 3000);
  } catch (err) {
    controller.abort("the check failed");
    throw callError ? callFailed(callError, "slow_count", sent) : err;
  }
  // The SDK client sends notifications/cancelled { requestId, reason } for the aborted request.
  controller.abort("mcp-lab grader: cancelled to see that the work stops");
  const cancelledAt = performance.now();
  const since = () => Math.round(performance.now() - cancelledAt);
  // Ticks may still advance while the notification travels; then the work must come to rest:
  // two reads five ticks apart that agree.
  const quietMs = delay * 5;
  const samples: string[] = [];
  let before = await readJob(ctx, args.job);
  for (;;) {
    const at = since();
    if (!before) {
      throw new CheckFailure(`${jobUri(args.job)} disappeared after the call was cancelled.`, {
        sent,
        hint: "Keep the job readable after it stops, so a client can see how far it got.",
      });
    }
    samples.push(`${before.ticks} at +${at} ms`);
    await pause(quietMs, ctx.signal);
    const after = await readJob(ctx, args.job);
    if (after && after.ticks === before.ticks && after.ticks < args.n) {
      return `stopped at ${after.ticks} of ${args.n} ticks (unchanged for ${quietMs} ms, ${at} ms after notifications/cancelled)`;
    }
    if ((after && after.ticks >= args.n) || since() > SETTLE_WITHIN_MS) {
      samples.push(after ? `${after.ticks} at +${since()} ms` : "gone");
      throw new CheckFailure(
        `The work went on after notifications/cancelled: ${jobUri(args.job)} kept counting (${brief(samples)}; n = ${args.n}).`,
        {
          sent,
          expected: "the tick count stops growing soon after the cancellation",
          actual: samples.join(", "),
          hint: "Stop the loop when the request is cancelled. Python: keep the work inside the tool's task (await anyio.sleep/asyncio.sleep; no shielded scope, no thread that runs on). TypeScript: check extra.signal.aborted each tick, or make the sleep reject on extra.signal's abort event.",
        },
      );
    }
    before = after;
  }
}

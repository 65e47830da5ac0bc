// Following a slow_count job from outside the call: jobs://{job} is the side effect the
// cancellation check watches, so it never trusts what the cancelled call itself says.
import { z } from "zod";
import type { CheckContext } from "../../conformance/check-api.ts";
import { CheckFailure, isMcpRequestError } from "../../conformance/check-api.ts";

const JobView = z.looseObject({ job: z.string(), ticks: z.number().int().min(0) });
export type JobView = z.infer<typeof JobView>;

export const jobUri = (job: string): string => `jobs://${job}`;

/** Resolves after `ms`, or as soon as the check is aborted (timeout). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** jobs://{job} as the server reports it; undefined while the server does not know the job yet. */
export async function readJob(ctx: CheckContext, job: string): Promise<JobView | undefined> {
  const uri = jobUri(job);
  let read: Awaited<ReturnType<CheckContext["readResource"]>>;
  try {
    read = await ctx.readResource(uri);
  } catch (err) {
    if (isMcpRequestError(err) && err.kind === "rpc-error") return undefined;
    throw err;
  }
  const first = read.contents[0];
  const text = first && "text" in first && typeof first.text === "string" ? first.text : undefined;
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = JobView.safeParse(json);
  if (!parsed.success) {
    throw new CheckFailure(`${uri} is not a JSON object with the job's "ticks" count.`, {
      expected: '{"job": "<handle>", "ticks": <ticks done so far>, ...} as application/json text',
      actual: read,
      hint: "Serve each slow_count job at jobs://{job} as JSON with how many ticks it has done.",
    });
  }
  return parsed.data;
}

/**
 * Polls jobs://{job} every `everyMs` until it reports at least `ticks`; fails after `withinMs`.
 * Returns the last view.
 */
export async function waitForTicks(
  ctx: CheckContext,
  job: string,
  ticks: number,
  everyMs: number,
  withinMs: number,
): Promise<JobView> {
  const deadline = performance.now() + withinMs;
  let last: JobView | undefined;
  for (;;) {
    last = await readJob(ctx, job);
    if (last && last.ticks >= ticks) return last;
    if (performance.now() > deadline) {
      throw new CheckFailure(
        `slow_count(job: "${job}") did not get going: after ${withinMs / 1000} s ${jobUri(job)} ${
          last ? `still reports ${last.ticks} ticks` : "is still unknown"
        }.`,
        {
          expected: `${jobUri(job)} counting up while the call runs (at least ${ticks} ticks)`,
          actual: last ?? "a JSON-RPC error (unknown job)",
          hint: "Record the job under its handle when slow_count starts, and update its ticks after every tick.",
        },
      );
    }
    await pause(everyMs, ctx.signal);
  }
}

// progress-notifications: slow_count called with a progressToken reports every tick, increasing,
// up to n, before its result.
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import type { CheckContext } from "../../conformance/check-api.ts";
import { describe } from "../../conformance/check-api.ts";
import { CountResult } from "./contract.ts";
import { jobHandle } from "./generate.ts";
import { callFailed, callSlowCount } from "./slow-count.ts";

export async function progressNotifications(ctx: CheckContext): Promise<string> {
  const args = { job: jobHandle(ctx.random), n: ctx.random.int(4, 7), delay_ms: ctx.random.int(30, 50) };
  const sent = `tools/call slow_count ${describe(args)} with _meta.progressToken`;
  const seen: Progress[] = [];
  let result: CallToolResult;
  try {
    // With onprogress the SDK client puts a progressToken in the request's _meta.
    result = await callSlowCount(ctx, args, {
      signal: ctx.signal,
      timeout: 4000,
      onprogress: (p) => seen.push(p),
    });
  } catch (err) {
    throw callFailed(err, "slow_count", sent);
  }
  const counted = ctx.expect.structuredMatches(
    result,
    CountResult,
    "slow_count did not return { job, counted }",
  );
  ctx.expect.equal(counted.counted, args.n, `slow_count(n: ${args.n}) reported a different count`, { sent });
  const values = seen.map((p) => p.progress);
  ctx.expect.ok(
    seen.length > 0,
    `slow_count(n: ${args.n}) sent no notifications/progress, although the request carried a progressToken.`,
    {
      sent,
      expected: `notifications/progress with that token, progress 1..${args.n}, total ${args.n}`,
      actual: "no notifications/progress carrying the request's progressToken before the result",
      hint: 'Python: await ctx.report_progress(tick, n) after each tick. TypeScript: extra.sendNotification({ method: "notifications/progress", params: { progressToken: extra._meta.progressToken, progress, total } }).',
    },
  );
  const backwards = values.findIndex((v, i) => i > 0 && v <= values[i - 1]);
  ctx.expect.ok(backwards === -1, `Progress did not increase: ${values.join(", ")}.`, {
    sent,
    hint: "The spec says progress MUST increase with each notification.",
  });
  const last = values[values.length - 1];
  ctx.expect.equal(
    last,
    args.n,
    `The last progress before the result was ${last}, not ${args.n} (the count reached).`,
    {
      sent,
      hint: "Report progress after every tick, the last one included.",
    },
  );
  const wrongTotal = seen.filter((p) => p.total !== undefined && p.total !== args.n);
  ctx.expect.ok(
    wrongTotal.length === 0,
    `Progress carried total ${wrongTotal[0]?.total}, not n = ${args.n}.`,
    {
      sent,
      actual: seen,
    },
  );
  return `${seen.length} progress notifications: ${values.join(", ")} of ${args.n}`;
}

// What grades the streamable-http lab. The lab-independent HTTP checks (Origin, Accept,
// MCP-Protocol-Version, sessions) come from the engine, named in lab.yaml; two of them are raised
// to `must` below because this lab is about sessions. The rest is the service's contract.
import {
  type CallToolResult,
  CallToolResultSchema,
  McpError,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CheckContext, CheckDefinition } from "../../conformance/check-api.ts";
import { CheckFailure, describe, textOf } from "../../conformance/check-api.ts";
import { httpSessionIdIssued, httpSessionRequired } from "../../conformance/http-checks/session.ts";
import { propertyTypes, requiredOf } from "../hello-server/inspect.ts";
import { greetingInput, jobHandle, personName } from "./generate.ts";
import { jobUri, pause, readJob, waitForTicks } from "./jobs.ts";
import { MODERN_VERSION, modernRequest, resultOf } from "./modern.ts";
import { callInSession, firstText, objectOf, openSession, type Session } from "./sessions.ts";

const LESSON_SESSIONS = "m4/stdio-vs-streamable-http";
const LESSON_STREAMS = "m4/sse-stream-lifecycle";
const LESSON_CONCURRENCY = "m4/streamable-http-asgi";
const LESSON_IDEMPOTENCY = "m4/idempotency-correlation";

const TOOLS: Record<string, { params: Record<string, string[]>; required: string[] }> = {
  greet: { params: { name: ["string"] }, required: ["name"] },
  send_greeting: {
    params: { to: ["string"], message: ["string"], idempotency_key: ["string"] },
    required: ["to", "message", "idempotency_key"],
  },
  outbox: { params: {}, required: [] },
  slow_count: {
    params: { job: ["string"], n: ["integer", "number"], delay_ms: ["integer", "number"] },
    required: ["job", "n"],
  },
};
const JOB_TEMPLATE = "jobs://{job}";

const SentGreeting = z.looseObject({
  id: z.string().min(1),
  to: z.string(),
  message: z.string(),
  replayed: z.boolean().optional(),
});
const OutboxResult = z.looseObject({ greetings: z.array(SentGreeting) });
const CountResult = z.looseObject({ job: z.string(), counted: z.number() });

/** An SDK client error from a direct ctx.client call, as a failure a learner can act on. */
function callFailed(err: unknown, what: string, sent: unknown): CheckFailure {
  if (err instanceof CheckFailure) return err;
  const reason =
    err instanceof McpError
      ? `JSON-RPC error ${err.code}: ${err.message.replace(/^MCP error -?\d+: /, "")}`
      : (err as Error).message;
  return new CheckFailure(`${what} failed: ${reason}`, { sent });
}

/** A long list of samples as its first two and last two. */
const brief = (items: string[]): string =>
  items.length <= 4 ? items.join(", ") : [...items.slice(0, 2), "...", ...items.slice(-2)].join(", ");

const isTypescript = "the pinned TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) speaks up to 2025-11-25";

export const checks: CheckDefinition[] = [
  {
    ...httpSessionIdIssued,
    severity: "must",
    lesson: LESSON_SESSIONS,
    hint: 'Issue a session id on initialize. Python: mcp.run(transport="streamable-http") does (leave stateless_http off). TypeScript: new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() }).',
  },
  { ...httpSessionRequired, severity: "must", lesson: LESSON_SESSIONS },
  {
    id: "tools-listed",
    title: "the service offers greet, send_greeting, outbox, slow_count and jobs://{job}",
    severity: "must",
    lesson: LESSON_SESSIONS,
    specRef: "2025-11-25/server/tools#listing-tools",
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const problems: string[] = [];
      for (const [name, want] of Object.entries(TOOLS)) {
        const tool = tools.find((t) => t.name === name);
        if (!tool) {
          problems.push(`${name} is not listed`);
          continue;
        }
        const schema = tool.inputSchema as Record<string, unknown>;
        for (const [param, types] of Object.entries(want.params)) {
          const got = propertyTypes(schema, param);
          if (got.length === 0) problems.push(`${name}: inputSchema does not declare "${param}"`);
          else if (!got.some((t) => types.includes(t)))
            problems.push(`${name}: "${param}" is ${got.join("|")}, expected ${types.join(" or ")}`);
        }
        for (const param of want.required)
          if (!requiredOf(schema).includes(param)) problems.push(`${name}: "${param}" is not required`);
      }
      const templates = await ctx.allResourceTemplates();
      if (!templates.some((t) => t.uriTemplate === JOB_TEMPLATE))
        problems.push(`no resource template ${JOB_TEMPLATE}`);
      if (problems.length > 0) {
        throw new CheckFailure(`The service's contract is incomplete: ${problems.join("; ")}.`, {
          expected:
            "tools greet(name), send_greeting(to, message, idempotency_key), outbox(), slow_count(job, n, delay_ms?) and the resource template jobs://{job}",
          actual: {
            tools: tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema })),
            resourceTemplates: templates.map((t) => t.uriTemplate),
          },
          hint: "The names are the contract: a client calls them by these exact names.",
        });
      }
      return "4 tools and jobs://{job}, with the expected parameters";
    },
  },
  {
    id: "idempotency-key-replays",
    title: "send_greeting retried with the same idempotency_key sends nothing new",
    severity: "must",
    lesson: LESSON_IDEMPOTENCY,
    specRef: "2025-11-25/server/tools#calling-tools",
    // The keys (like the outbox) belong to a session.
    requires: ["tools-listed", "http-session-id-issued"],
    async run(ctx: CheckContext) {
      const input = greetingInput(ctx.random);
      const first = ctx.expect.structuredMatches(
        await ctx.callTool("send_greeting", { ...input }),
        SentGreeting,
        "send_greeting did not return the sent greeting",
        { hint: "Return the greeting as structured content: { id, to, message, replayed }." },
      );
      ctx.expect.equal(
        { to: first.to, message: first.message },
        { to: input.to, message: input.message },
        "send_greeting returned a different greeting than it was asked to send",
      );
      ctx.expect.ok(
        first.replayed !== true,
        `The first send_greeting with a fresh key says replayed: true.`,
        {
          actual: first,
          hint: "replayed is true only when the key was seen before.",
        },
      );
      const retry = ctx.expect.structuredMatches(
        await ctx.callTool("send_greeting", { ...input }),
        SentGreeting,
        "the retried send_greeting did not return a greeting",
      );
      ctx.expect.ok(
        retry.id === first.id && retry.replayed === true,
        `send_greeting retried with the same idempotency_key ${retry.id === first.id ? "did not say replayed: true" : `sent a second greeting: ${first.id}, then ${retry.id}`}.`,
        {
          expected: { ...first, replayed: true },
          actual: retry,
          hint: "Remember each key with the greeting it produced; on a repeat return that greeting with replayed: true and send nothing.",
        },
      );
      const box = ctx.expect.structuredMatches(
        await ctx.callTool("outbox", {}),
        OutboxResult,
        "outbox did not return { greetings: [...] }",
      );
      const copies = box.greetings.filter((g) => g.to === input.to && g.message === input.message);
      ctx.expect.ok(
        copies.length === 1,
        `After one send_greeting and one retry, the outbox holds ${copies.length} copies of the greeting to ${input.to}.`,
        { expected: "exactly one", actual: box.greetings },
      );
      const misuse = { ...input, message: `${ctx.random.sentence(3)}.` };
      await ctx.expect.toolRejects(() => ctx.callTool("send_greeting", misuse), {
        message: `send_greeting accepted idempotency_key ${input.idempotency_key} again for a different message.`,
        hint: "The same key with different arguments is a client bug: refuse it (isError: true) instead of sending or replaying.",
      });
      return `${first.id} sent once, replayed on retry, key reuse for another message refused`;
    },
  },
  {
    id: "progress-notifications",
    title: "slow_count sends increasing notifications/progress when the call carries a progressToken",
    severity: "must",
    lesson: LESSON_STREAMS,
    specRef: "2025-11-25/basic/utilities/progress",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const args = { job: jobHandle(ctx.random), n: ctx.random.int(4, 7), delay_ms: ctx.random.int(30, 50) };
      const sent = `tools/call slow_count ${describe(args)} with _meta.progressToken`;
      const seen: Progress[] = [];
      let result: CallToolResult;
      try {
        result = await ctx.client.request(
          { method: "tools/call", params: { name: "slow_count", arguments: args } },
          CallToolResultSchema,
          { onprogress: (p) => seen.push(p), signal: ctx.signal, timeout: 4000 },
        );
      } catch (err) {
        throw callFailed(err, "slow_count", sent);
      }
      const counted = ctx.expect.structuredMatches(
        result,
        CountResult,
        "slow_count did not return { job, counted }",
      );
      ctx.expect.equal(counted.counted, args.n, `slow_count(n: ${args.n}) reported a different count`, {
        sent,
      });
      const values = seen.map((p) => p.progress);
      ctx.expect.ok(
        seen.length > 0,
        `slow_count(n: ${args.n}) sent no notifications/progress, although the request carried a progressToken.`,
        {
          sent,
          expected: `notifications/progress with that token, progress 1..${args.n}, total ${args.n}`,
          actual: "no progress notification before the result",
          hint: 'Python: await ctx.report_progress(tick, n) after each tick. TypeScript: extra.sendNotification({ method: "notifications/progress", params: { progressToken: extra._meta.progressToken, progress, total } }).',
        },
      );
      const backwards = values.findIndex((v, i) => i > 0 && v <= values[i - 1]);
      ctx.expect.ok(backwards === -1, `Progress did not increase: ${values.join(", ")}.`, {
        sent,
        hint: "The spec says progress MUST increase with each notification.",
      });
      ctx.expect.equal(
        values[values.length - 1],
        args.n,
        `The last progress before the result was ${values[values.length - 1]}, not ${args.n} (the count reached).`,
        { sent, hint: "Report progress after every tick, the last one included." },
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
    },
  },
  {
    id: "cancellation-stops-work",
    title: "notifications/cancelled stops slow_count: its tick count stops growing",
    severity: "must",
    lesson: LESSON_STREAMS,
    specRef: "2025-11-25/basic/utilities/cancellation",
    requires: ["tools-listed", "http-session-id-issued"],
    timeoutMs: 9000,
    async run(ctx: CheckContext) {
      const delay = ctx.random.int(30, 40);
      const args = { job: jobHandle(ctx.random), n: ctx.random.int(150, 200), delay_ms: delay };
      const sent = `tools/call slow_count ${describe(args)}, then notifications/cancelled for it`;
      const controller = new AbortController();
      let callError: unknown;
      const call = ctx.client.request(
        { method: "tools/call", params: { name: "slow_count", arguments: args } },
        CallToolResultSchema,
        { signal: controller.signal, timeout: 20_000 },
      );
      call.catch((err: unknown) => {
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
      // Ticks may still advance while the notification travels; the work must then come to rest:
      // two reads several ticks apart that agree.
      const quietMs = delay * 5;
      const samples: string[] = [];
      let before = await readJob(ctx, args.job);
      for (;;) {
        const at = Math.round(performance.now() - cancelledAt);
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
        if ((after && after.ticks >= args.n) || performance.now() - cancelledAt > 2000) {
          samples.push(
            after ? `${after.ticks} at +${Math.round(performance.now() - cancelledAt)} ms` : "gone",
          );
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
    },
  },
  {
    id: "concurrent-sessions-isolated",
    title: "20 concurrent calls from 4 sessions are answered correctly, each session sees only its own data",
    severity: "must",
    lesson: LESSON_CONCURRENCY,
    specRef: "2025-11-25/basic/transports#session-management",
    requires: ["tools-listed", "http-session-id-issued"],
    usesRawConnection: true,
    timeoutMs: 10_000,
    async run(ctx: CheckContext) {
      const sessions: Session[] = [];
      for (let i = 1; i <= 4; i++) sessions.push(await openSession(ctx, i));
      const plans = sessions.map((session) => ({
        session,
        greetings: [greetingInput(ctx.random), greetingInput(ctx.random), greetingInput(ctx.random)],
        names: [personName(ctx.random), personName(ctx.random)],
      }));
      // All 20 calls in flight at once: 3 send_greeting and 2 greet per session.
      const answered = await Promise.all(
        plans.flatMap((plan) => [
          ...plan.greetings.map(async (input) => {
            const out = await callInSession(plan.session, "send_greeting", { ...input });
            return { plan, kind: "send" as const, input, out };
          }),
          ...plan.names.map(async (name) => {
            const out = await callInSession(plan.session, "greet", { name });
            return { plan, kind: "greet" as const, name, out };
          }),
        ]),
      );
      const wrong: string[] = [];
      const ids = new Map<Session, string[]>(sessions.map((s) => [s, []]));
      for (const a of answered) {
        const where = `session ${a.plan.session.index}`;
        if (!a.out.ok) {
          wrong.push(
            `${where}: ${a.kind === "send" ? `send_greeting to ${a.input.to}` : `greet(${a.name})`} failed: ${a.out.problem}`,
          );
          continue;
        }
        if (a.kind === "greet") {
          const text = `${firstText(a.out.result)} ${JSON.stringify(a.out.result.structuredContent ?? "")}`;
          if (!text.includes(`Hello, ${a.name}!`))
            wrong.push(`${where}: greet(${a.name}) answered ${JSON.stringify(firstText(a.out.result))}`);
          continue;
        }
        const got = SentGreeting.safeParse(objectOf(a.out.result));
        if (!got.success || got.data.to !== a.input.to || got.data.message !== a.input.message) {
          wrong.push(`${where}: send_greeting to ${a.input.to} answered ${describe(objectOf(a.out.result))}`);
        } else ids.get(a.plan.session)?.push(got.data.id);
      }
      if (wrong.length > 0) {
        throw new CheckFailure(
          `${wrong.length} of 20 concurrent calls were answered wrongly: ${wrong.join("; ")}.`,
          {
            expected:
              'every call answered with its own arguments (greet: "Hello, <name>!"; send_greeting: the greeting sent)',
            hint: "Keep per-request data in the request (arguments, locals), never in module-level variables another request can overwrite.",
          },
        );
      }
      const owner = new Map<string, number>();
      for (const [s, list] of ids) for (const id of list) owner.set(id, s.index);
      for (const plan of plans) {
        const box = await callInSession(plan.session, "outbox", {});
        const parsed = box.ok ? OutboxResult.safeParse(objectOf(box.result)) : undefined;
        if (!parsed?.success) {
          throw new CheckFailure(
            `outbox in session ${plan.session.index} did not return { greetings: [...] }.`,
            {
              actual: box.ok ? box.result : box.problem,
            },
          );
        }
        const own = ids.get(plan.session) ?? [];
        const listed = parsed.data.greetings.map((g) => g.id);
        const foreign = parsed.data.greetings.filter((g) => !own.includes(g.id));
        const missing = own.filter((id) => !listed.includes(id));
        if (foreign.length > 0 || missing.length > 0) {
          const from = foreign
            .slice(0, 4)
            .map((g) =>
              owner.has(g.id)
                ? `${g.id} (to ${g.to}, sent in session ${owner.get(g.id)})`
                : `${g.id} (to ${g.to}, not sent in this session)`,
            );
          throw new CheckFailure(
            `Cross-talk between sessions: the outbox of session ${plan.session.index} ${
              foreign.length
                ? `lists ${foreign.length} greetings it did not send: ${from.join(", ")}${foreign.length > 4 ? ", ..." : ""}`
                : ""
            }${foreign.length && missing.length ? "; and it " : ""}${missing.length ? `misses its own: ${missing.join(", ")}` : ""}.`,
            {
              expected: own,
              actual: parsed.data.greetings,
              hint: "Keep each session's outbox under its session: Python, a dict keyed by ctx.headers['mcp-session-id']; TypeScript, state created inside the per-session server factory (or a Map keyed by extra.sessionId).",
            },
          );
        }
      }
      return "20 calls across 4 sessions answered correctly; each outbox holds only its own 3 greetings";
    },
  },
  {
    id: "stateless-discover",
    title: "2026-07-28 stateless requests: server/discover and a tools/call without a session",
    severity: "should",
    lesson: LESSON_SESSIONS,
    specRef: "2026-07-28/server/discover",
    requires: ["tools-listed"],
    appliesTo: (s) =>
      s.transport !== "http"
        ? "only for Streamable HTTP servers"
        : s.lang === "typescript"
          ? `${isTypescript}; its stateless 2026-07-28 mode is in the v2 packages`
          : true,
    async run(ctx: CheckContext) {
      const discover = await modernRequest(ctx, 1, "server/discover");
      const found = resultOf(discover.answer);
      const versions = Array.isArray(found?.supportedVersions) ? found.supportedVersions : [];
      ctx.expect.ok(
        discover.answer.status === 200 && versions.includes(MODERN_VERSION),
        `server/discover (MCP-Protocol-Version: ${MODERN_VERSION}, no session) answered HTTP ${discover.answer.status}${found ? ` with supportedVersions ${describe(versions)}` : ""}.`,
        {
          sent: discover.sent,
          expected: `HTTP 200 with result.supportedVersions including "${MODERN_VERSION}"`,
          actual: discover.answer.message ?? `HTTP ${discover.answer.status}`,
          hint: "mcp 2.3.0 serves both revisions on one endpoint and routes by MCP-Protocol-Version; do not filter that header to the 2025 versions in front of it.",
        },
      );
      const name = personName(ctx.random);
      const call = await modernRequest(ctx, 2, "tools/call", { name: "greet", arguments: { name } }, "greet");
      const result = resultOf(call.answer);
      const text = result ? textOf(result as CallToolResult) : "";
      ctx.expect.ok(
        call.answer.status === 200 && text.includes(`Hello, ${name}!`),
        `A stateless tools/call greet(${name}) answered HTTP ${call.answer.status}${result ? ` with ${JSON.stringify(text)}` : ""}.`,
        {
          sent: call.sent,
          expected: `"Hello, ${name}!"`,
          actual: call.answer.message ?? `HTTP ${call.answer.status}`,
        },
      );
      const minted = [discover, call].map((e) => e.answer.headers.get("mcp-session-id")).filter(Boolean);
      ctx.expect.ok(minted.length === 0, `A 2026-07-28 answer carried Mcp-Session-Id ${minted[0]}.`, {
        hint: "Revision 2026-07-28 has no sessions: do not mint or echo session ids for it.",
      });
      return `server/discover lists ${describe(versions)}; greet answered without a session`;
    },
  },
];

// concurrent-sessions-isolated: four new sessions, twenty calls in flight at once. Every answer
// must be the caller's own, and each session's outbox must hold exactly what was sent in it.
import type { CheckContext } from "../../conformance/check-api.ts";
import { CheckFailure, describe } from "../../conformance/check-api.ts";
import { OutboxResult, SentGreeting } from "./contract.ts";
import { greetingInput, personName } from "./generate.ts";
import { callInSession, firstText, objectOf, openSession, type Session } from "./sessions.ts";

const SESSIONS = 4;
const SENT =
  "initialize in 4 new sessions; 20 tools/call at once (3 send_greeting and 2 greet per session); then outbox in each";

export async function concurrentSessionsIsolated(ctx: CheckContext): Promise<string> {
  const sessions: Session[] = [];
  for (let i = 1; i <= SESSIONS; i++) sessions.push(await openSession(ctx, i));
  const plans = sessions.map((session) => ({
    session,
    greetings: [greetingInput(ctx.random), greetingInput(ctx.random), greetingInput(ctx.random)],
    names: [personName(ctx.random), personName(ctx.random)],
  }));
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
      const call = a.kind === "send" ? `send_greeting to ${a.input.to}` : `greet(${a.name})`;
      wrong.push(`${where}: ${call} failed: ${a.out.problem}`);
    } else if (a.kind === "greet") {
      const text = `${firstText(a.out.result)} ${JSON.stringify(a.out.result.structuredContent ?? "")}`;
      if (!text.includes(`Hello, ${a.name}!`))
        wrong.push(`${where}: greet(${a.name}) answered ${JSON.stringify(firstText(a.out.result))}`);
    } else {
      const got = SentGreeting.safeParse(objectOf(a.out.result));
      if (got.success && got.data.to === a.input.to && got.data.message === a.input.message)
        ids.get(a.plan.session)?.push(got.data.id);
      else
        wrong.push(`${where}: send_greeting to ${a.input.to} answered ${describe(objectOf(a.out.result))}`);
    }
  }
  if (wrong.length > 0) {
    throw new CheckFailure(
      `${wrong.length} of 20 concurrent calls were answered wrongly: ${wrong.join("; ")}.`,
      {
        sent: SENT,
        expected:
          'every call answered with its own arguments (greet: "Hello, <name>!"; send_greeting: the greeting sent)',
        hint: "Keep per-request data in the request (arguments, locals), never in module-level variables another request can overwrite.",
      },
    );
  }

  for (const [s, list] of ids) {
    const twice = list.find((id, i) => list.indexOf(id) !== i);
    // Within one session every greeting needs its own id (ids may repeat across sessions if the
    // server numbers them per session). A repeat here is a counter raced by parallel calls.
    if (twice !== undefined) {
      throw new CheckFailure(
        `Different greetings sent at the same time in session ${s.index} got the same id ${twice}: ${list.join(", ")}.`,
        {
          sent: SENT,
          hint: "Allocate the id and record the greeting in one step, with no await in between (or use a UUID). In Python a plain def tool runs in a worker thread, in parallel with others; an async def one runs on the event loop.",
        },
      );
    }
  }
  const owner = new Map<string, number>();
  for (const [s, list] of ids) for (const id of list) owner.set(id, s.index);
  for (const { session } of plans) {
    const box = await callInSession(session, "outbox", {});
    const parsed = box.ok ? OutboxResult.safeParse(objectOf(box.result)) : undefined;
    if (!parsed?.success) {
      throw new CheckFailure(`outbox in session ${session.index} did not return { greetings: [...] }.`, {
        sent: SENT,
        actual: box.ok ? box.result : box.problem,
      });
    }
    const own = ids.get(session) ?? [];
    const foreign = parsed.data.greetings.filter((g) => !own.includes(g.id));
    const missing = own.filter((id) => !parsed.data.greetings.some((g) => g.id === id));
    if (foreign.length === 0 && missing.length === 0) continue;
    const named = foreign
      .slice(0, 4)
      .map((g) =>
        owner.has(g.id)
          ? `${g.id} (to ${g.to}, sent in session ${owner.get(g.id)})`
          : `${g.id} (to ${g.to}, not sent in this session)`,
      );
    const problems = [
      ...(foreign.length
        ? [
            `lists ${foreign.length} greetings it did not send: ${named.join(", ")}${foreign.length > 4 ? ", ..." : ""}`,
          ]
        : []),
      ...(missing.length ? [`misses its own: ${missing.join(", ")}`] : []),
    ];
    throw new CheckFailure(
      `Cross-talk between sessions: the outbox of session ${session.index} ${problems.join("; and it ")}.`,
      {
        sent: SENT,
        expected: own,
        actual: parsed.data.greetings,
        hint: "Keep each session's outbox under its session: Python, a dict keyed by ctx.headers['mcp-session-id']; TypeScript, state created inside the per-session server factory (or a Map keyed by extra.sessionId).",
      },
    );
  }
  return "20 calls across 4 sessions answered correctly; each outbox holds only its own 3 greetings";
}

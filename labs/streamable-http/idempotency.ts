// idempotency-key-replays: a retry with the same key replays the first greeting and sends nothing;
// the same key for a different greeting is refused.
import type { CheckContext } from "../../conformance/check-api.ts";
import { OutboxResult, SentGreeting } from "./contract.ts";
import { greetingInput } from "./generate.ts";

export async function idempotencyReplays(ctx: CheckContext): Promise<string> {
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
  ctx.expect.ok(first.replayed !== true, "The first send_greeting with a fresh key says replayed: true.", {
    actual: first,
    hint: "replayed is true only when the key was seen before.",
  });
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
}

// Prompts: listing, getting each with generated arguments, unknown names. Spec: 2025-11-25/server/prompts.
import type { CheckContext, CheckDefinition, ServerView } from "../check-api.ts";

const hasPrompts = (server: ServerView) =>
  server.capabilities?.prompts !== undefined || "the server declares no prompts capability";
const MAX_GETS = 10;

export const promptsList: CheckDefinition = {
  id: "prompts-list",
  title: "prompts/list lists prompts with unique names",
  severity: "must",
  specRef: "2025-11-25/server/prompts#listing-prompts",
  lesson: "m3/prompts-as-interface",
  requires: ["pagination-terminates"],
  appliesTo: hasPrompts,
  hint: "A prompt's name is how a client asks for it: give each prompt its own name (two versions need two names).",
  async run(ctx: CheckContext) {
    const prompts = await ctx.allPrompts();
    const dupes = prompts.map((p) => p.name).filter((n, i, all) => all.indexOf(n) !== i);
    ctx.expect.ok(
      dupes.length === 0,
      `Prompt names listed more than once: ${[...new Set(dupes)].join(", ")}.`,
    );
    return `${prompts.length} prompt${prompts.length === 1 ? "" : "s"}`;
  },
};

export const promptsGet: CheckDefinition = {
  id: "prompts-get",
  title: "every listed prompt can be got with its required arguments",
  severity: "must",
  specRef: "2025-11-25/server/prompts#getting-a-prompt",
  lesson: "m3/prompts-as-interface",
  requires: ["prompts-list"],
  appliesTo: hasPrompts,
  timeoutMs: 15_000,
  hint: "prompts/get with the arguments you declare as required must return at least one message.",
  async run(ctx: CheckContext) {
    const prompts = (await ctx.allPrompts()).slice(0, MAX_GETS);
    if (prompts.length === 0) return "nothing listed";
    for (const p of prompts) {
      const args: Record<string, string> = {};
      for (const a of p.arguments ?? []) if (a.required) args[a.name] = ctx.random.word();
      const got = await ctx.getPrompt(p.name, Object.keys(args).length ? args : undefined);
      ctx.expect.ok(got.messages.length > 0, `prompts/get ${p.name} returned no messages.`, {
        expected: "messages: [{ role, content }] (at least one)",
        actual: got,
      });
    }
    return `got ${prompts.length} prompt${prompts.length === 1 ? "" : "s"}`;
  },
};

export const promptsGetUnknown: CheckDefinition = {
  id: "prompts-get-unknown",
  title: "getting a prompt that does not exist is JSON-RPC error -32602",
  severity: "should",
  specRef: "2025-11-25/server/prompts#error-handling",
  lesson: "m3/prompts-as-interface",
  requires: ["prompts-list"],
  appliesTo: hasPrompts,
  hint: "Raise a protocol error with code -32602 (INVALID_PARAMS) for an unknown prompt. mcp 2.3.0's MCPServer answers code 0 here by default.",
  async run(ctx: CheckContext) {
    const names = new Set((await ctx.allPrompts()).map((p) => p.name));
    let name = `no_such_prompt_${ctx.random.word()}`;
    while (names.has(name)) name = `no_such_prompt_${ctx.random.word()}`;
    const err = await ctx.expect.rpcError(() => ctx.getPrompt(name), {
      codes: [-32602],
      message: `prompts/get for the unknown prompt "${name}" did not answer JSON-RPC error -32602.`,
    });
    return `refused with ${err.code}`;
  },
};

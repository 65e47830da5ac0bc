// Checks that more than one lab uses, parameterised by the lab's own tools. A lab lists them in its
// checks.ts like any other check: `descriptionsSayWhen({ tools: Object.keys(TOOLS), ... })`.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { CheckContext, CheckDefinition } from "./check-api.ts";

/** `should`: every named tool's description is long enough and says when to use the tool. */
export function descriptionsSayWhen(options: {
  tools: string[];
  hint: string;
  requires?: string[];
}): CheckDefinition {
  return {
    id: "tool-descriptions-say-when",
    title: "Tool descriptions say when to use each tool",
    severity: "should",
    lesson: "m3/tool-descriptions",
    specRef: "2025-11-25/server/tools#tool",
    requires: options.requires ?? ["tools-listed"],
    async run(ctx: CheckContext) {
      const tools = (await ctx.allTools()).filter((t) => options.tools.includes(t.name));
      const vague = tools.filter(
        (t) => (t.description ?? "").length < 40 || !/\b(use|when)\b/i.test(t.description ?? ""),
      );
      ctx.expect.ok(
        vague.length === 0,
        `Too vague for a model to choose by: ${vague.map((t) => t.name).join(", ")}`,
        {
          expected: "descriptions of 40+ characters that say when to use the tool ('Use this when ...')",
          actual: vague.map((t) => ({ name: t.name, description: t.description ?? "(none)" })),
          hint: options.hint,
        },
      );
      return "every description says when to use the tool";
    },
  };
}

/** `ctx` whose raw HTTP requests carry `headers` unless a request sets them itself. */
function withRequestHeaders(ctx: CheckContext, headers: Record<string, string>): CheckContext {
  const http = ctx.http;
  if (!http) return ctx;
  const fetch = (path: string, init: RequestInit = {}) => {
    const merged = new Headers(init.headers);
    for (const [name, value] of Object.entries(headers)) if (!merged.has(name)) merged.set(name, value);
    return http.fetch(path, { ...init, headers: merged });
  };
  return { ...ctx, http: { ...http, fetch } };
}

/**
 * The same check, with `headers(ctx)` on every raw HTTP request it makes (ctx.http.fetch) that does
 * not set them. The built-in transport checks (Origin, Accept, sessions, notifications) send no
 * token, so a protected server answers them 401; wrapped with the bearer token the lab's
 * environment minted for the grader, they grade the transport behind the authentication.
 */
export function withHttpHeaders(
  check: CheckDefinition,
  headers: (ctx: CheckContext) => Record<string, string>,
): CheckDefinition {
  return { ...check, run: (ctx: CheckContext) => check.run(withRequestHeaders(ctx, headers(ctx))) };
}

/** A tool the grader calls: its parameters as [JSON Schema type, required]. */
export type ToolSurface = Record<string, Record<string, [type: string, required: boolean]>>;

/** What `tools` lacks of `surface`, in a learner's words ("get_stock: no \"sku\" parameter"). */
export function surfaceProblems(tools: Tool[], surface: ToolSurface): string[] {
  const problems: string[] = [];
  for (const [name, params] of Object.entries(surface)) {
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      problems.push(`${name} is not listed`);
      continue;
    }
    const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>;
    const required = tool.inputSchema.required ?? [];
    for (const [param, [type, mandatory]] of Object.entries(params)) {
      const declared = properties[param]?.type;
      if (declared === undefined) problems.push(`${name}: no "${param}" parameter`);
      else if (declared !== type)
        problems.push(`${name}: "${param}" is ${JSON.stringify(declared)}, not ${type}`);
      if (mandatory !== required.includes(param))
        problems.push(
          `${name}: "${param}" should be ${mandatory ? "required" : "optional (it has a default)"}`,
        );
    }
  }
  return problems;
}

/** `must`: tools/list offers every tool of `surface` with its parameters (extra tools are fine). */
export function toolsListed(options: {
  surface: ToolSurface;
  lesson: string;
  hint: string;
  id?: string;
}): CheckDefinition {
  const names = Object.keys(options.surface);
  const signature = (name: string) =>
    `${name}(${Object.entries(options.surface[name] ?? {})
      .map(([p, [type, required]]) => `${p}${required ? "" : "?"}: ${type}`)
      .join(", ")})`;
  return {
    id: options.id ?? "tools-listed",
    title: `tools/list offers ${names.join(", ")} with the agreed parameters`,
    severity: "must",
    lesson: options.lesson,
    specRef: "2025-11-25/server/tools#listing-tools",
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const problems = surfaceProblems(tools, options.surface);
      ctx.expect.ok(problems.length === 0, `The tool contract is incomplete: ${problems.join("; ")}.`, {
        expected: names.map(signature).join(", "),
        actual: tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema })),
        hint: options.hint,
      });
      return `${names.length} tools with the agreed parameters${tools.length > names.length ? `, and ${tools.length - names.length} more of your own` : ""}`;
    },
  };
}

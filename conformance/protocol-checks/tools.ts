// Tools: listing, schemas, names, descriptions, unknown tools, invalid arguments.
// Spec: 2025-11-25/server/tools.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { CheckContext, CheckDefinition, ServerView } from "../check-api.ts";
import { compileToolSchema, violatingArguments } from "./json-schema.ts";

const hasTools = (server: ServerView) =>
  server.capabilities?.tools !== undefined || "the server declares no tools capability";
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_TOOLS_CALLED = 8;

export const toolsInputSchemas: CheckDefinition = {
  id: "tools-list-input-schemas",
  title: 'every tool\'s inputSchema is a valid JSON Schema of type "object"',
  severity: "must",
  specRef: "2025-11-25/server/tools#tool",
  lesson: "m3/json-schema-inputs",
  requires: ["pagination-terminates"],
  appliesTo: hasTools,
  hint: 'inputSchema must be a JSON Schema object with "type": "object" (2020-12 unless $schema says otherwise); for no parameters use {"type": "object", "additionalProperties": false}.',
  async run(ctx: CheckContext) {
    const tools = await ctx.allTools();
    const problems = tools.flatMap((t) => {
      const r = compileToolSchema(t.inputSchema);
      return r.ok ? [] : [`${t.name}: ${r.problem}`];
    });
    if (problems.length) {
      const bad = tools.find((t) => !compileToolSchema(t.inputSchema).ok);
      return ctx.expect.fail(`Invalid inputSchema: ${problems.join("; ")}.`, {
        expected: 'a valid JSON Schema object with "type": "object"',
        actual: bad?.inputSchema,
      });
    }
    return `${tools.length} tool${tools.length === 1 ? "" : "s"}, all input schemas valid`;
  },
};

export const toolsOutputSchemas: CheckDefinition = {
  id: "tools-list-output-schemas",
  title: 'every outputSchema is a valid JSON Schema of type "object"',
  severity: "must",
  specRef: "2025-11-25/server/tools#output-schema",
  lesson: "m3/designing-outputs",
  requires: ["pagination-terminates"],
  appliesTo: hasTools,
  async run(ctx: CheckContext) {
    const tools = (await ctx.allTools()).filter((t) => t.outputSchema !== undefined);
    if (tools.length === 0) return "no tool declares an outputSchema";
    const problems = tools.flatMap((t) => {
      const r = compileToolSchema(t.outputSchema);
      return r.ok ? [] : [`${t.name}: ${r.problem}`];
    });
    ctx.expect.ok(problems.length === 0, `Invalid outputSchema: ${problems.join("; ")}.`, {
      expected: 'a valid JSON Schema object with "type": "object"',
    });
    return `${tools.length} output schema${tools.length === 1 ? "" : "s"} valid`;
  },
};

export const toolsNames: CheckDefinition = {
  id: "tools-list-names",
  title: "tool names are 1-128 characters of A-Z a-z 0-9 _ - . and unique",
  severity: "should",
  specRef: "2025-11-25/server/tools#tool-names",
  lesson: "m3/tool-descriptions",
  requires: ["pagination-terminates"],
  appliesTo: hasTools,
  hint: "Use names like search_notes, getUser or admin.tools.list: no spaces, slashes or other punctuation.",
  async run(ctx: CheckContext) {
    const tools = await ctx.allTools();
    const bad = tools.filter((t) => !TOOL_NAME.test(t.name)).map((t) => JSON.stringify(t.name));
    const dupes = tools.map((t) => t.name).filter((n, i, all) => all.indexOf(n) !== i);
    ctx.expect.ok(bad.length === 0, `Tool names outside the spec's rules: ${bad.join(", ")}.`, {
      expected: "1-128 characters from A-Z a-z 0-9 _ - .",
      actual: bad.join(", "),
    });
    ctx.expect.ok(dupes.length === 0, `Tool names listed more than once: ${[...new Set(dupes)].join(", ")}.`);
    return `${tools.length} names ok`;
  },
};

export const toolsDescriptions: CheckDefinition = {
  id: "tools-list-descriptions",
  title: "every tool has a description",
  severity: "should",
  specRef: "2025-11-25/server/tools#tool",
  lesson: "m3/tool-descriptions",
  requires: ["pagination-terminates"],
  appliesTo: hasTools,
  hint: "The description is what a model reads to choose the tool: say what it does and when to use it (a docstring in Python, `description` in TypeScript).",
  async run(ctx: CheckContext) {
    const tools = await ctx.allTools();
    const missing = tools
      .filter((t) => typeof t.description !== "string" || t.description.trim() === "")
      .map((t) => t.name);
    ctx.expect.ok(missing.length === 0, `Tools without a description: ${missing.join(", ")}.`, {
      expected: "a non-empty description on every tool",
    });
    return `${tools.length} tool${tools.length === 1 ? "" : "s"} described`;
  },
};

export const toolsUnknown: CheckDefinition = {
  id: "tools-call-unknown-tool",
  title: "calling a tool that does not exist is refused",
  severity: "must",
  specRef: "2025-11-25/server/tools#error-handling",
  lesson: "m7/error-handling",
  requires: ["pagination-terminates"],
  appliesTo: hasTools,
  hint: "An unknown tool name is a protocol error (JSON-RPC -32602, as the spec's example); never a successful result.",
  async run(ctx: CheckContext) {
    const names = new Set((await ctx.allTools()).map((t) => t.name));
    let name = `no_such_tool_${ctx.random.word()}`;
    while (names.has(name)) name = `no_such_tool_${ctx.random.word()}`;
    const refusal = await ctx.expect.toolRejects(() => ctx.callTool(name, {}), {
      message: `Calling the unknown tool "${name}" succeeded.`,
    });
    // The spec lists unknown tools under protocol errors (example: -32602). Both official SDKs
    // answer with isError: true instead; we accept either form and say which one came back.
    return refusal.via === "rpc-error"
      ? `refused with JSON-RPC error ${refusal.error.code}`
      : "refused with isError: true (the spec's example is JSON-RPC error -32602; both are accepted)";
  },
};

export const toolsInvalidArguments: CheckDefinition = {
  id: "tools-call-invalid-arguments",
  title: "arguments that violate a tool's inputSchema are rejected",
  severity: "must",
  specRef: "2025-11-25/server/tools#security-considerations",
  lesson: "m3/json-schema-inputs",
  requires: ["tools-list-input-schemas"],
  appliesTo: hasTools,
  timeoutMs: 15_000,
  hint: "Validate arguments against the schema you publish before running the tool (typed parameters in MCPServer, a zod schema in McpServer), and answer isError: true saying what was wrong.",
  async run(ctx: CheckContext) {
    const tools: Tool[] = (await ctx.allTools()).slice(0, MAX_TOOLS_CALLED);
    const accepted: { tool: string; args: unknown; why: string }[] = [];
    const tried: string[] = [];
    for (const tool of tools) {
      const compiled = compileToolSchema(tool.inputSchema);
      if (!compiled.ok) continue;
      const violation = violatingArguments(
        tool.inputSchema as Record<string, unknown>,
        compiled.validate,
        () => ctx.random.word(),
      );
      if (!violation) continue;
      tried.push(tool.name);
      const result = await ctx.callTool(tool.name, violation.args).catch((err: unknown) => err);
      const isRpcError = result instanceof Error && (result as { kind?: string }).kind === "rpc-error";
      if (result instanceof Error && !isRpcError) throw result;
      if (!isRpcError && (result as { isError?: boolean }).isError !== true) {
        accepted.push({ tool: tool.name, args: violation.args, why: violation.description });
      }
    }
    if (accepted.length) {
      const first = accepted[0];
      return ctx.expect.fail(
        `Arguments that violate the input schema were accepted: ${accepted.map((a) => `${a.tool} (${a.why})`).join("; ")}.`,
        {
          sent: { method: "tools/call", params: { name: first.tool, arguments: first.args } },
          expected: "isError: true (or JSON-RPC error -32602)",
          actual: "a successful result",
        },
      );
    }
    if (tried.length === 0) return "no tool has an argument we could violate";
    return `rejected bad arguments for ${tried.join(", ")}`;
  },
};

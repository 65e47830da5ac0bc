// The contract as a model and a client see it: the agreed tools, annotations that tell the truth
// about side effects, and structured results that match the declared outputSchema.
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import {
  type CheckContext,
  type CheckDefinition,
  CheckFailure,
  describe,
} from "../../conformance/check-api.ts";
import { toolsListed } from "../../conformance/reusable-checks.ts";
import { callStock, expectStock } from "../resilience-observability/probe.ts";
import { capstone } from "./environment.ts";
import { AREAS, DESTRUCTIVE_TOOL, LESSONS, READ_ONLY_TOOLS, SURFACE } from "./world.ts";

/** Tools that call a service outside the server: openWorldHint false would be untrue. */
const OPEN_WORLD_TOOLS = ["get_stock", "billing_summary"];

const listed = toolsListed({
  surface: SURFACE,
  lesson: LESSONS.checklist,
  hint: "The brief fixes these names and parameters: the grader, like any client, calls them. Add tools of your own if you like; the contract snapshot lists them too.",
});

const annotationsHonest: CheckDefinition = {
  id: "annotations-honest",
  title: "annotations tell the truth: read-only tools say readOnlyHint, delete_document says destructiveHint",
  severity: "must",
  lesson: LESSONS.checklist,
  specRef: "2025-11-25/server/tools#tool",
  requires: ["tools-listed"],
  async run(ctx: CheckContext) {
    const tools = await ctx.allTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    const hints = (name: string) => byName.get(name)?.annotations ?? {};
    const problems: string[] = [];
    for (const name of READ_ONLY_TOOLS)
      if (hints(name).readOnlyHint !== true)
        problems.push(`${name} changes nothing but does not say readOnlyHint: true`);
    const destructive = hints(DESTRUCTIVE_TOOL);
    if (destructive.readOnlyHint === true)
      problems.push(`${DESTRUCTIVE_TOOL} deletes files but says readOnlyHint: true`);
    if (destructive.destructiveHint !== true)
      problems.push(`${DESTRUCTIVE_TOOL} deletes files but does not say destructiveHint: true`);
    for (const name of OPEN_WORLD_TOOLS)
      if (hints(name).openWorldHint === false)
        problems.push(`${name} calls a service outside the server but says openWorldHint: false`);
    ctx.expect.ok(
      problems.length === 0,
      `Annotations hosts rely on to ask for confirmation are wrong: ${problems.join("; ")}.`,
      {
        expected: `readOnlyHint: true on ${READ_ONLY_TOOLS.join(", ")}; destructiveHint: true (and no readOnlyHint) on ${DESTRUCTIVE_TOOL}`,
        actual: Object.fromEntries([...READ_ONLY_TOOLS, DESTRUCTIVE_TOOL].map((n) => [n, hints(n)])),
        hint: "Hosts use annotations to decide what to confirm with the user. They are hints, never a security boundary, but a wrong one removes the confirmation a user needed.",
      },
    );
    return `${READ_ONLY_TOOLS.length} read-only tools say so; ${DESTRUCTIVE_TOOL} is marked destructive`;
  },
};

/** Fails unless `result` succeeded with structuredContent valid against the tool's outputSchema. */
function expectValidStructured(ctx: CheckContext, tool: Tool, call: string, result: CallToolResult): void {
  if (!tool.outputSchema) {
    throw new CheckFailure(
      `${tool.name} declares no outputSchema: clients cannot validate or rely on its results.`,
      {
        hint: "Python: return a pydantic model (or annotate the return type); TypeScript: registerTool(..., { outputSchema: {...} }).",
      },
    );
  }
  if (result.isError === true)
    throw new CheckFailure(
      `${call} failed, so its structured result could not be checked: ${describe(result.content)}`,
    );
  if (result.structuredContent === undefined) {
    throw new CheckFailure(
      `${call} returned no structuredContent although ${tool.name} declares an outputSchema.`,
      {
        actual: result,
        hint: "A tool with an outputSchema MUST return structuredContent that conforms to it.",
      },
    );
  }
  ctx.expect.validatesAgainst(
    tool.outputSchema,
    result.structuredContent,
    `${call} returned structuredContent that does not match ${tool.name}'s own outputSchema`,
  );
}

const structuredOutputValid: CheckDefinition = {
  id: "structured-output-valid",
  title: "each tool declares an outputSchema and its structured results conform to it",
  severity: "must",
  lesson: LESSONS.outputs,
  specRef: "2025-11-25/server/tools#output-schema",
  requires: ["tools-listed"],
  async run(ctx: CheckContext) {
    const { plan, upstream } = capstone(ctx);
    const tools = new Map((await ctx.allTools()).map((t) => [t.name, t]));
    const tool = (name: string) => tools.get(name) as Tool;
    const doc = plan.docs.plain.requestPath;
    const calls: Array<[string, Record<string, unknown>]> = [
      ["whoami", {}],
      ["read_document", { path: doc }],
      ["delete_document", { path: doc, dry_run: true }],
    ];
    for (const [name, args] of calls) {
      expectValidStructured(ctx, tool(name), `${name}(${describe(args)})`, await ctx.callTool(name, args));
    }
    // get_stock through the resilience lab's probe: a fresh SKU the upstream answers at once.
    const stock = await callStock(ctx, { says: "a healthy answer" });
    expectStock(stock, upstream.stockFor(stock.sku));
    expectValidStructured(
      ctx,
      tool("get_stock"),
      `get_stock({"sku":"${stock.sku}"})`,
      stock.result as CallToolResult,
    );
    // billing_summary's output is judged by no-token-passthrough (the tenant's invoices).
    return "whoami, read_document, delete_document (preview) and get_stock: structuredContent valid against each outputSchema";
  },
};

export const schemaChecks: CheckDefinition[] = [listed, annotationsHonest, structuredOutputValid].map(
  (c) => ({
    ...c,
    area: AREAS.schemas,
  }),
);

// Declared capabilities match behaviour, and list pagination ends.
// Spec: 2025-11-25/basic/lifecycle#capability-negotiation, server/tools#capabilities ("Servers that
// support tools MUST declare the tools capability"; same for resources and prompts),
// server/utilities/pagination.
import type { CheckContext, CheckDefinition } from "../check-api.ts";
import { isMcpRequestError } from "../check-expect.ts";

const FEATURES = [
  { capability: "tools", method: "tools/list", key: "tools" },
  { capability: "resources", method: "resources/list", key: "resources" },
  { capability: "prompts", method: "prompts/list", key: "prompts" },
] as const;

export const capabilitiesMatch: CheckDefinition = {
  id: "capabilities-match",
  title: "declared capabilities match what the server answers",
  severity: "must",
  specRef: "2025-11-25/basic/lifecycle#capability-negotiation",
  lesson: "m1/tools-resources-prompts",
  requires: ["initialize-handshake"],
  hint: "Declare a capability exactly when you serve it; the SDKs do this when you register tools, resources or prompts.",
  async run(ctx: CheckContext) {
    const caps = (ctx.server.capabilities ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const seen: string[] = [];
    for (const f of FEATURES) {
      const declared = caps[f.capability] !== undefined;
      try {
        const page = await ctx.request(f.method);
        const items = page[f.key];
        const count = Array.isArray(items) ? items.length : 0;
        if (declared && !Array.isArray(items))
          problems.push(`${f.method} answered without a "${f.key}" array`);
        else if (!declared && count > 0) {
          problems.push(
            `${f.method} lists ${count} ${f.key}, but the ${f.capability} capability is not declared`,
          );
        } else if (declared)
          seen.push(`${f.capability} (${count}${typeof page.nextCursor === "string" ? "+" : ""})`);
      } catch (err) {
        if (!isMcpRequestError(err) || err.kind !== "rpc-error") throw err;
        if (declared)
          problems.push(
            `${f.method} answered JSON-RPC error ${err.code} "${err.message}", but ${f.capability} is declared`,
          );
      }
    }
    if (problems.length) {
      return ctx.expect.fail(`Declared capabilities and behaviour disagree: ${problems.join("; ")}.`, {
        expected: "each declared capability's list method answers; nothing is served undeclared",
        actual: { capabilities: caps },
      });
    }
    return seen.length
      ? `declared and answering: ${seen.join(", ")}`
      : "declares no tools, resources or prompts";
  },
};

export const paginationTerminates: CheckDefinition = {
  id: "pagination-terminates",
  title: "paginated lists end (nextCursor never loops)",
  severity: "must",
  specRef: "2025-11-25/server/utilities/pagination#pagination-flow",
  lesson: "m3/designing-outputs",
  requires: ["capabilities-match"],
  timeoutMs: 15_000,
  hint: "A cursor must lead to the next page; the last page has no nextCursor.",
  async run(ctx: CheckContext) {
    const caps = (ctx.server.capabilities ?? {}) as Record<string, unknown>;
    const counts: string[] = [];
    if (caps.tools) counts.push(`${(await ctx.allTools()).length} tools`);
    if (caps.resources) {
      counts.push(`${(await ctx.allResources()).length} resources`);
      // Templates are a SHOULD-level listing (resource-templates-list); a missing method is not a loop.
      try {
        counts.push(`${(await ctx.allResourceTemplates()).length} resource templates`);
      } catch (err) {
        if (!isMcpRequestError(err) || err.kind !== "rpc-error") throw err;
      }
    }
    if (caps.prompts) counts.push(`${(await ctx.allPrompts()).length} prompts`);
    return counts.length ? `listed to the end: ${counts.join(", ")}` : "nothing to list";
  },
};

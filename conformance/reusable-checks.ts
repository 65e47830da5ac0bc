// Checks that more than one lab uses, parameterised by the lab's own tools. A lab lists them in its
// checks.ts like any other check: `descriptionsSayWhen({ tools: Object.keys(TOOLS), ... })`.
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

// The service's contract as the checks read it: tool names and parameters, the job template, and
// the shapes of the results the checks parse.
import { z } from "zod";
import type { CheckContext } from "../../conformance/check-api.ts";
import { CheckFailure } from "../../conformance/check-api.ts";
import { type ExpectedTool, toolContractProblems } from "../../conformance/tool-contract.ts";

/** Tool -> parameter -> accepted JSON types, and the required parameters. */
export const TOOLS: Record<string, ExpectedTool> = {
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
export const JOB_TEMPLATE = "jobs://{job}";

export const SentGreeting = z.looseObject({
  id: z.string().min(1),
  to: z.string(),
  message: z.string(),
  replayed: z.boolean().optional(),
});
export const OutboxResult = z.looseObject({ greetings: z.array(SentGreeting) });
export const CountResult = z.looseObject({ job: z.string(), counted: z.number() });

/** tools-listed: every tool with its parameters, and the jobs://{job} template. */
export async function contractListed(ctx: CheckContext): Promise<string> {
  const tools = await ctx.allTools();
  const problems = toolContractProblems(tools, TOOLS);
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
      sent: "tools/list, resources/templates/list",
      hint: "The names are the contract: a client calls them by these exact names.",
    });
  }
  return "4 tools and jobs://{job}, with the expected parameters";
}

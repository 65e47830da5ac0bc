// "Are the tools the lab's contract names there, with these parameters?": the first check of most
// labs. Names and parameter types are the contract a client codes against.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { propertySchema, propertyTypes, requiredOf, type Schema } from "./schema-inspect.ts";

export interface ExpectedTool {
  /** Parameter -> the JSON types any of which is acceptable, e.g. { limit: ["integer", "number"] }. */
  params: Record<string, string[]>;
  /** Parameters that must be in `required`. */
  required: string[];
}

/** What is missing or wrong, one phrase per problem ("greet is not listed"); empty when it all fits. */
export function toolContractProblems(tools: Tool[], expected: Record<string, ExpectedTool>): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      problems.push(`${name} is not listed`);
      continue;
    }
    const schema = tool.inputSchema as Schema;
    for (const [param, types] of Object.entries(want.params)) {
      if (!propertySchema(schema, param)) {
        problems.push(`${name}: inputSchema does not declare "${param}"`);
        continue;
      }
      const got = propertyTypes(schema, param);
      if (!got.some((t) => types.includes(t)))
        problems.push(`${name}: "${param}" is ${got.join("|") || "untyped"}, expected ${types.join(" or ")}`);
    }
    for (const param of want.required)
      if (!requiredOf(schema).includes(param)) problems.push(`${name}: "${param}" is not required`);
  }
  return problems;
}

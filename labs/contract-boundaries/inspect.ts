// Readers for what an ops-desk server publishes: a property's effective schema (through $ref and
// Optional's anyOf-with-null), what makes a tool a catch-all, result objects, and arguments for
// calling a tool the grader only knows by its schema.
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { textOf } from "../../conformance/check-api.ts";
import {
  allowedValues,
  branchesOf,
  deref,
  isObject,
  propertySchema,
  requiredOf,
  type Schema,
  typesOf,
} from "../../conformance/schema-inspect.ts";

/** Parameter names that, as a string, choose among behaviours: `action`, `op`, `command_type`, ... */
export const SELECTOR_NAME = /^(actions?|command|cmd|op|operation|type|method|verb)([_-]?(name|type))?$/i;

const CONSTRAINT_KEYS = ["type", "enum", "const", "$ref", "anyOf", "oneOf", "allOf", "not"];

/** Why a schema accepts arbitrary data (an object with no declared shape, or no constraint at all). */
function freeForm(root: Schema, raw: Schema, depth = 0): string | undefined {
  const schema = deref(root, raw);
  if (depth > 4) return undefined;
  const branches = branchesOf(schema);
  for (const b of branches) {
    const why = freeForm(root, b, depth + 1);
    if (why) return why;
  }
  if (!CONSTRAINT_KEYS.some((k) => k in schema)) return "accepts any value";
  const types = typesOf(schema);
  if (types.includes("object")) {
    const props = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    const extra = schema.additionalProperties;
    if (props.length === 0 && extra !== false) return "is an object with no declared properties";
    if (extra === true || (isObject(extra) && Object.keys(extra).length === 0)) {
      return "is an object that accepts undeclared properties";
    }
  }
  if (types.includes("array") && isObject(schema.items)) {
    const why = freeForm(root, schema.items, depth + 1);
    if (why) return `is a list whose items ${why.replace(/^is /, "are ").replace(/^accepts/, "accept")}`;
  }
  return undefined;
}

/**
 * What makes `tool` a catch-all: a string/enum parameter named like `action` that selects the
 * behaviour, a parameter that accepts arbitrary data, or a schema that takes undeclared arguments.
 */
export function catchAllProblems(tool: Tool): string[] {
  const root = tool.inputSchema as Schema;
  const props = isObject(root.properties) ? Object.keys(root.properties) : [];
  const problems: string[] = [];
  for (const name of props) {
    const prop = propertySchema(root, name) ?? {};
    const types = typesOf(prop);
    const stringy = types.length === 0 || types.includes("string") || allowedValues(prop) !== undefined;
    if (SELECTOR_NAME.test(name) && stringy) {
      const values = allowedValues(prop);
      problems.push(
        `"${name}" (${values ? `one of ${values.map(String).join("|")}` : "a string"}) selects what the tool does`,
      );
      continue;
    }
    const raw = (root.properties as Schema)[name];
    const why = isObject(raw) ? freeForm(root, raw) : "accepts any value";
    if (why) problems.push(`"${name}" ${why}`);
  }
  const extra = root.additionalProperties;
  if (extra === true || (isObject(extra) && freeForm(root, extra) !== undefined)) {
    problems.push("the schema accepts arguments it does not declare (additionalProperties)");
  }
  return problems;
}

/** A tool result's object: structuredContent, else the JSON of its text block. */
export function resultObject(result: CallToolResult): Schema | undefined {
  if (isObject(result.structuredContent)) return result.structuredContent;
  try {
    const parsed: unknown = JSON.parse(textOf(result));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Arguments for a tool the grader knows only by its schema: required parameters filled from what
 * their names suggest (a service, an incident id), an enum's first value, or a neutral value.
 */
export function argumentsFor(tool: Tool, known: { service: string; incidentId: string }): Schema {
  const root = tool.inputSchema as Schema;
  const args: Schema = {};
  for (const name of requiredOf(root)) {
    const prop = propertySchema(root, name) ?? {};
    const values = allowedValues(prop);
    const types = typesOf(prop);
    if (/service/i.test(name)) args[name] = known.service;
    else if (/incident|(^|_)id$/i.test(name)) args[name] = known.incidentId;
    else if (values && values.length > 0) args[name] = values[0];
    else if (types.includes("integer") || types.includes("number")) args[name] = 1;
    else if (types.includes("boolean")) args[name] = false;
    else if (types.includes("array")) args[name] = [];
    else if (types.includes("object")) args[name] = {};
    else args[name] = known.service;
  }
  return args;
}

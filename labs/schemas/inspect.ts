// Readers for what a ticket server publishes and sends back: a property's effective schema
// (through $ref and Optional's anyOf-with-null), JSON Schema validation, result objects, and
// the marks of a leaked stack trace.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { textOf } from "../../conformance/check-api.ts";
import { isObject, type Schema } from "../../conformance/schema-inspect.ts";

/** The ticket object of a result: structuredContent, else the JSON of its text block. */
export function resultObject(result: CallToolResult): Schema | undefined {
  if (isObject(result.structuredContent)) return result.structuredContent;
  try {
    const parsed: unknown = JSON.parse(textOf(result));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function parseJsonObject(text: string): Schema | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Validates `value` against a JSON Schema the server published. The MCP default dialect is
 * 2020-12; a schema that names draft-07 in `$schema` (the TypeScript SDK's) is read as draft-07.
 * Returns the problems, or [] when it validates; a schema that does not compile is a problem too.
 */
export function validateAgainst(schema: Schema, value: unknown): string[] {
  const draft07 = typeof schema.$schema === "string" && schema.$schema.includes("draft-07");
  const ajv = draft07
    ? new Ajv({ strict: false, allErrors: true })
    : new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    return [`the schema itself does not compile: ${(err as Error).message}`];
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`);
}

const STACK_MARKS: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /Traceback \(most recent call last\)/, what: "a Python traceback" },
  { pattern: /File "[^"]+", line \d+/, what: "a Python stack frame" },
  { pattern: /^\s*at .+:\d+:\d+\)?\s*$/m, what: "a JavaScript stack frame" },
  { pattern: /file:\/\/\//, what: "a file:// URL of the server's code" },
  {
    pattern: /(^|[\s'"(=])\/(?:[\w.@-]+\/)+[\w.@-]+\.(?:py|ts|js|mjs|cjs)\b/,
    what: "a path to the server's source",
  },
];

/** What in `text` gives away the server's internals, or undefined when nothing does. */
export function leakedInternals(text: string): string | undefined {
  return STACK_MARKS.find((m) => m.pattern.test(text))?.what;
}

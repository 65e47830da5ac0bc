// JSON Schema helpers for tool schemas: is it a valid schema (2020-12 by default, as the spec
// says; draft-07 when it declares so), and which arguments would violate it.

import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";

const DRAFT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

// strict: false so unknown keywords (annotations some SDKs add, e.g. "title"/"examples") are allowed,
// as JSON Schema itself allows them; validateFormats off: formats are annotations by default in 2020-12.
const ajv2020 = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
const ajv07 = new Ajv({ strict: false, validateFormats: false, allErrors: false });

export type SchemaCheck = { ok: true; validate: ValidateFunction } | { ok: false; problem: string };

/** Compiles a tool's inputSchema/outputSchema; `problem` says what is wrong in a learner's words. */
export function compileToolSchema(schema: unknown): SchemaCheck {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return {
      ok: false,
      problem: `it is ${schema === null ? "null" : Array.isArray(schema) ? "an array" : typeof schema}, not a JSON Schema object`,
    };
  }
  const s = schema as Record<string, unknown>;
  const dialect = s.$schema;
  let engine: Ajv | Ajv2020;
  if (dialect === undefined || (typeof dialect === "string" && DRAFT_2020.test(dialect))) engine = ajv2020;
  else if (typeof dialect === "string" && DRAFT_07.test(dialect)) engine = ajv07;
  else
    return {
      ok: false,
      problem: `its $schema "${String(dialect)}" is not a dialect the grader supports (2020-12, draft-07)`,
    };
  if (s.type !== "object") {
    return {
      ok: false,
      problem: `its type is ${s.type === undefined ? "missing" : JSON.stringify(s.type)}, but it must be "object"`,
    };
  }
  if (!engine.validateSchema(s)) {
    return {
      ok: false,
      problem: `it is not a valid JSON Schema: ${engine.errorsText(engine.errors, { dataVar: "schema" })}`,
    };
  }
  try {
    return { ok: true, validate: engine.compile(s) };
  } catch (err) {
    return { ok: false, problem: `it does not compile: ${(err as Error).message}` };
  }
}

type JsonType = "string" | "number" | "integer" | "boolean" | "array" | "object" | "null";

/** The JSON types a property schema allows, or null when it is not a plain type (or union of types). */
function allowedTypes(prop: unknown): Set<JsonType> | null {
  if (typeof prop !== "object" || prop === null) return null;
  const p = prop as Record<string, unknown>;
  if (typeof p.type === "string") return new Set([p.type as JsonType]);
  if (Array.isArray(p.type)) return new Set(p.type as JsonType[]);
  const union = (p.anyOf ?? p.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const out = new Set<JsonType>();
    for (const member of union) {
      const t = allowedTypes(member);
      if (!t) return null;
      for (const x of t) out.add(x);
    }
    return out;
  }
  return null;
}

const CANDIDATES: { value: unknown; type: JsonType; label: string }[] = [
  { value: { unexpected: "object" }, type: "object", label: "an object" },
  { value: "not-a-number", type: "string", label: "a string" },
  { value: 12345, type: "integer", label: "a number" },
  { value: ["unexpected"], type: "array", label: "an array" },
  { value: true, type: "boolean", label: "a boolean" },
];

function matchesType(candidate: JsonType, allowed: Set<JsonType>): boolean {
  if (allowed.has(candidate)) return true;
  return candidate === "integer" && allowed.has("number");
}

/** A simple valid value for a property schema (enough to fill the other required arguments). */
export function sampleValue(prop: unknown, word: () => string): unknown {
  if (typeof prop !== "object" || prop === null) return word();
  const p = prop as Record<string, unknown>;
  if ("const" in p) return p.const;
  if (Array.isArray(p.enum) && p.enum.length) return p.enum[0];
  if ("default" in p) return p.default;
  const types = allowedTypes(p);
  const t = types ? [...types].find((x) => x !== "null") : "string";
  switch (t) {
    case "integer":
    case "number": {
      const min =
        typeof p.minimum === "number"
          ? p.minimum
          : typeof p.exclusiveMinimum === "number"
            ? p.exclusiveMinimum + 1
            : 1;
      return t === "integer" ? Math.ceil(min) : min;
    }
    case "boolean":
      return true;
    case "array": {
      const n = typeof p.minItems === "number" ? p.minItems : 0;
      return Array.from({ length: n }, () => sampleValue(p.items, word));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      const req = Array.isArray(p.required) ? (p.required as string[]) : [];
      const props = (p.properties ?? {}) as Record<string, unknown>;
      for (const k of req) out[k] = sampleValue(props[k], word);
      return out;
    }
    default: {
      let s = word();
      const minLength = typeof p.minLength === "number" ? p.minLength : 0;
      while (s.length < minLength) s += word();
      return typeof p.maxLength === "number" ? s.slice(0, Math.max(1, p.maxLength)) : s;
    }
  }
}

export interface Violation {
  args: Record<string, unknown>;
  /** What is wrong with them, e.g. `"limit" is a string, but the schema says integer`. */
  description: string;
}

/**
 * Arguments that violate a tool's input schema (checked with the schema itself), preferring
 * a wrong type for a required property, then a missing required property, then a wrong type
 * for an optional one. Null when the schema accepts anything we can think of.
 */
export function violatingArguments(
  schema: Record<string, unknown>,
  validate: ValidateFunction,
  word: () => string,
): Violation | null {
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const validBase: Record<string, unknown> = {};
  for (const k of required) validBase[k] = sampleValue(props[k], word);

  const wrongType = (name: string): Violation | null => {
    const allowed = allowedTypes(props[name]);
    if (!allowed) return null;
    for (const c of CANDIDATES) {
      if (matchesType(c.type, allowed)) continue;
      const args = { ...validBase, [name]: c.value };
      if (!validate(args)) {
        return {
          args,
          description: `"${name}" is ${c.label}, but the schema says ${[...allowed].join(" or ")}`,
        };
      }
    }
    return null;
  };
  const candidates: (() => Violation | null)[] = [
    ...required.map((name) => () => wrongType(name)),
    ...required.map((name) => () => {
      const args = { ...validBase };
      delete args[name];
      return validate(args) ? null : { args, description: `the required argument "${name}" is missing` };
    }),
    ...Object.keys(props)
      .filter((k) => !required.includes(k))
      .map((name) => () => wrongType(name)),
  ];
  for (const next of candidates) {
    const v = next();
    if (v) return v;
  }
  return null;
}

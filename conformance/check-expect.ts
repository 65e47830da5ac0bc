// Assertions for checks. Each throws a CheckFailure that carries what a learner needs:
// a message, what was expected, what came back and a hint.

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { compileToolSchema } from "./protocol-checks/json-schema.ts";

export interface FailureDetails {
  expected?: unknown;
  actual?: unknown;
  hint?: string;
  /** The request the failure is about; filled from the check's last call when omitted. */
  sent?: unknown;
}

/** A check's verdict that the server fell short: the check ends `fail` with these details. */
export class CheckFailure extends Error {
  readonly expected?: string;
  readonly actual?: string;
  readonly hint?: string;
  readonly sent?: string;
  constructor(message: string, details: FailureDetails = {}) {
    super(message);
    this.name = "CheckFailure";
    this.expected = details.expected === undefined ? undefined : describe(details.expected);
    this.actual = details.actual === undefined ? undefined : describe(details.actual);
    this.hint = details.hint;
    this.sent = details.sent === undefined ? undefined : describe(details.sent);
  }
}

export function isCheckFailure(err: unknown): err is CheckFailure {
  return err instanceof CheckFailure;
}

export type McpRequestErrorKind =
  /** The server answered with a JSON-RPC error object. */
  | "rpc-error"
  /** No answer within the check's time. */
  | "timeout"
  /** The connection closed (the server exited or closed stdout) before the answer. */
  | "closed"
  /** An answer came that is not a valid MCP result for the method. */
  | "invalid-answer";

/**
 * What a recorded call (ctx.callTool, ctx.readResource, ...) throws when it gets no usable
 * result. Left uncaught in a check it becomes a `fail` that says what was sent and what came back.
 */
export class McpRequestError extends Error {
  constructor(
    readonly kind: McpRequestErrorKind,
    readonly method: string,
    readonly params: unknown,
    message: string,
    readonly code?: number,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "McpRequestError";
  }
}

export function isMcpRequestError(err: unknown): err is McpRequestError {
  return err instanceof McpRequestError;
}

const MAX_DESCRIBED = 2000;

/** A value as a learner-readable string: strings as they are, the rest as compact JSON, capped. */
export function describe(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value === undefined) text = "(nothing)";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED)}… (${text.length} chars)` : text;
}

/** The text blocks of a tool result joined by newlines ("" when there are none). */
export function textOf(result: CallToolResult): string {
  return (result.content ?? [])
    .filter((c): c is { type: "text"; text: string } => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function zodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "(value)"}: ${i.message}`)
    .join("; ");
}

/** How a tool call was refused, for checks that accept either form the spec allows. */
export type Rejection =
  | { via: "isError"; result: CallToolResult; text: string }
  | { via: "rpc-error"; error: McpRequestError };

export interface Expect {
  /** Fails with `message` unless `condition` is truthy. */
  ok(condition: unknown, message: string, details?: FailureDetails): asserts condition;
  /** Deep equality (JSON-like values; undefined properties ignored). */
  equal(
    actual: unknown,
    expected: unknown,
    message: string,
    details?: Omit<FailureDetails, "expected" | "actual">,
  ): void;
  /** `haystack` (a string or an array) contains `needle` (substring, or a deep-equal element). */
  includes(
    haystack: string | readonly unknown[],
    needle: unknown,
    message: string,
    details?: FailureDetails,
  ): void;
  /** Parses `value` with a zod schema and returns the parsed value, or fails listing the issues. */
  matches<S extends z.ZodType>(
    value: unknown,
    schema: S,
    message: string,
    details?: FailureDetails,
  ): z.output<S>;
  /** The tool result is a tool error (`isError: true`). Returns its text. */
  isError(result: CallToolResult, message?: string, details?: FailureDetails): string;
  /** The tool result is not a tool error. Returns its text. */
  notError(result: CallToolResult, message?: string, details?: FailureDetails): string;
  /** The result has `structuredContent` that parses with `schema`; returns the parsed value. */
  structuredMatches<S extends z.ZodType>(
    result: CallToolResult,
    schema: S,
    message?: string,
    details?: FailureDetails,
  ): z.output<S>;
  /** `call` ends in a JSON-RPC error (optionally one of `codes`); returns it. */
  rpcError(
    call: () => Promise<unknown>,
    options?: { codes?: number[]; message?: string; hint?: string },
  ): Promise<McpRequestError>;
  /** A tool call is refused, either as a JSON-RPC error or as a result with `isError: true`. */
  toolRejects(
    call: () => Promise<CallToolResult>,
    options?: {
      codes?: number[];
      message?: string;
      hint?: string;
      /** The refusal's text (tool error text or JSON-RPC error message) must say this (a string: case-insensitive). */
      mentions?: string | RegExp;
    },
  ): Promise<Rejection>;
  /**
   * `value` is valid against `schema` (a tool's inputSchema or outputSchema: JSON Schema 2020-12,
   * or draft-07 when it says so). Fails on an invalid schema too.
   */
  validatesAgainst(schema: unknown, value: unknown, message: string, details?: FailureDetails): void;
  /** Always fails. */
  fail(message: string, details?: FailureDetails): never;
}

export function createExpect(): Expect {
  const fail = (message: string, details?: FailureDetails): never => {
    throw new CheckFailure(message, details);
  };
  const expect: Expect = {
    ok(condition, message, details) {
      if (!condition) fail(message, details);
    },
    equal(actual, expected, message, details) {
      if (!deepEqual(actual, expected)) fail(message, { ...details, expected, actual });
    },
    includes(haystack, needle, message, details) {
      const found =
        typeof haystack === "string"
          ? typeof needle === "string" && haystack.includes(needle)
          : haystack.some((item) => deepEqual(item, needle));
      if (!found) fail(message, { expected: needle, actual: haystack, ...details });
    },
    matches(value, schema, message, details) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        return fail(`${message}: ${zodIssues(parsed.error)}`, { actual: value, ...details });
      }
      return parsed.data;
    },
    isError(result, message, details) {
      if (result.isError !== true) {
        fail(message ?? "Expected a tool error (isError: true), but the call succeeded.", {
          expected: "a result with isError: true",
          actual: result,
          ...details,
        });
      }
      return textOf(result);
    },
    notError(result, message, details) {
      if (result.isError === true) {
        fail(message ?? `The tool call failed: ${textOf(result) || "(isError: true, no text)"}`, {
          expected: "a successful result",
          actual: result,
          ...details,
        });
      }
      return textOf(result);
    },
    structuredMatches(result, schema, message, details) {
      if (result.isError === true) {
        fail(`The tool call failed instead of returning structured content: ${textOf(result)}`, {
          actual: result,
          ...details,
        });
      }
      if (result.structuredContent === undefined) {
        fail(message ?? "The result has no structuredContent.", {
          expected: "structuredContent: an object",
          actual: result,
          hint: "Return a dict/object (or declare an output type) so the SDK fills structuredContent.",
          ...details,
        });
      }
      return expect.matches(
        result.structuredContent,
        schema,
        message ?? "structuredContent does not have the expected shape",
        details,
      );
    },
    async rpcError(call, options = {}) {
      let answer: unknown;
      try {
        answer = await call();
      } catch (err) {
        if (isMcpRequestError(err) && err.kind === "rpc-error") {
          if (options.codes && (err.code === undefined || !options.codes.includes(err.code))) {
            fail(
              options.message ??
                `The server answered with JSON-RPC error ${err.code}, not ${options.codes.join(" or ")}.`,
              {
                expected: `error code ${options.codes.join(" or ")}`,
                actual: { code: err.code, message: err.message },
                hint: options.hint,
              },
            );
          }
          return err;
        }
        throw err;
      }
      return fail(options.message ?? "Expected a JSON-RPC error, but the server answered with a result.", {
        expected: options.codes
          ? `a JSON-RPC error (code ${options.codes.join(" or ")})`
          : "a JSON-RPC error",
        actual: answer,
        hint: options.hint,
      });
    },
    async toolRejects(call, options = {}) {
      const mentioning = (rejection: Rejection): Rejection => {
        const wanted = options.mentions;
        if (wanted === undefined) return rejection;
        const said = rejection.via === "isError" ? rejection.text : rejection.error.message;
        const says =
          typeof wanted === "string" ? said.toLowerCase().includes(wanted.toLowerCase()) : wanted.test(said);
        if (!says) {
          fail(
            options.message ??
              `The call was refused, but the refusal does not say ${typeof wanted === "string" ? `"${wanted}"` : wanted}.`,
            { expected: `a refusal mentioning ${String(wanted)}`, actual: said, hint: options.hint },
          );
        }
        return rejection;
      };
      let result: CallToolResult;
      try {
        result = await call();
      } catch (err) {
        if (isMcpRequestError(err) && err.kind === "rpc-error") {
          if (options.codes && (err.code === undefined || !options.codes.includes(err.code))) {
            fail(options.message ?? `The server answered with JSON-RPC error ${err.code}.`, {
              expected: `isError: true, or JSON-RPC error ${options.codes.join(" or ")}`,
              actual: { code: err.code, message: err.message },
              hint: options.hint,
            });
          }
          return mentioning({ via: "rpc-error", error: err });
        }
        throw err;
      }
      if (result.isError === true) return mentioning({ via: "isError", result, text: textOf(result) });
      return fail(options.message ?? "The call was accepted, but it should have been refused.", {
        expected: "isError: true (or a JSON-RPC error)",
        actual: result,
        hint: options.hint,
      });
    },
    validatesAgainst(schema, value, message, details) {
      const compiled = compileToolSchema(schema);
      if (!compiled.ok) fail(`${message}: the schema is not usable: ${compiled.problem}`, details);
      else if (!compiled.validate(value)) {
        const errors = (compiled.validate.errors ?? [])
          .map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`)
          .join("; ");
        fail(`${message}: ${errors}`, {
          expected: "a value valid against the schema",
          actual: value,
          ...details,
        });
      }
    },
    fail,
  };
  return expect;
}

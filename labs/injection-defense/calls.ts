// Calling the server the way an attacker would, and reading what came back: a refusal (a tool
// error, or a JSON-RPC error), a policy refusal ("blocked"), a network error, or a success.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  type CheckContext,
  type CheckDefinition,
  describe,
  isMcpRequestError,
  textOf,
} from "../../conformance/check-api.ts";
import type { Attacker } from "./attacker.ts";

export type Outcome =
  /** isError with "blocked" in its text (or a JSON-RPC error saying so): refused by policy. */
  | "blocked"
  /** isError, or a JSON-RPC error, that does not say "blocked" (not found, a network error...). */
  | "error"
  | "ok";

export interface Attempt {
  call: string;
  outcome: Outcome;
  /** The error text, or the result's text. */
  text: string;
  /** Everything that came back, as one string (to search for leaked secrets). */
  raw: string;
  result?: CallToolResult;
}

const BLOCKED = /\bblocked\b/i;

/** Calls a tool; a JSON-RPC error is an answer here, not a failure of the check. */
export async function attempt(
  ctx: CheckContext,
  tool: string,
  args: Record<string, unknown>,
): Promise<Attempt> {
  const call = `${tool}(${describe(args)})`;
  try {
    const result = await ctx.callTool(tool, args);
    const text = textOf(result);
    const raw = JSON.stringify(result);
    if (result.isError === true)
      return { call, outcome: BLOCKED.test(text) ? "blocked" : "error", text, raw, result };
    return { call, outcome: "ok", text, raw, result };
  } catch (err) {
    if (isMcpRequestError(err) && err.kind === "rpc-error") {
      const text = `JSON-RPC error ${err.code}: ${err.message}`;
      return { call, outcome: BLOCKED.test(err.message) ? "blocked" : "error", text, raw: text };
    }
    throw err;
  }
}

export const refused = (a: Attempt): boolean => a.outcome !== "ok";

/** First 300 characters of what came back, for a message. */
export function excerpt(a: Attempt): string {
  const text = a.text || a.raw;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function attackerOf(ctx: CheckContext): Attacker {
  const attacker = ctx.environment as Attacker | undefined;
  // Our bug, not the learner's: the lab's environment() did not run.
  if (!attacker?.plan) throw new Error("injection-defense: the attacker environment is missing");
  return attacker;
}

/** The structuredContent of a result as a record, or undefined. */
export function structuredOf(a: Attempt): Record<string, unknown> | undefined {
  const sc = a.result?.structuredContent;
  return sc && typeof sc === "object" && !Array.isArray(sc) ? (sc as Record<string, unknown>) : undefined;
}

/**
 * A check that is a list of attacks (data), judged one by one by `judge`, which throws a
 * CheckFailure on the first that gets through and returns the pass message otherwise.
 */
export function attackCheck<A>(
  spec: {
    id: string;
    title: string;
    requires: string[];
    hint: string;
    attacks: (ctx: CheckContext, attacker: Attacker) => A[];
  },
  judge: (ctx: CheckContext, attacker: Attacker, attacks: A[], hint: string) => Promise<string>,
): CheckDefinition {
  return {
    id: spec.id,
    title: spec.title,
    severity: "must",
    lesson: "m5/threat-model",
    specRef: "2025-11-25/server/tools#security-considerations",
    requires: spec.requires,
    run: (ctx: CheckContext) => {
      const attacker = attackerOf(ctx);
      return judge(ctx, attacker, spec.attacks(ctx, attacker), spec.hint);
    },
  };
}

// Extra client sessions for the concurrency check: each is a raw connection (a new HTTP session
// on the same server) that initializes like any client, then calls tools.
import type { CheckContext, RawConnection } from "../../conformance/check-api.ts";
import { CheckFailure, describe } from "../../conformance/check-api.ts";

export interface Session {
  /** 1-based, for messages ("session 2"). */
  index: number;
  conn: RawConnection;
}

/** What one tools/call in a raw session came back with. */
export type CallOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; problem: string };

export async function openSession(ctx: CheckContext, index: number): Promise<Session> {
  const conn = await ctx.openRawConnection();
  const init = await conn.request("initialize", {
    protocolVersion: ctx.server.protocolVersion ?? "2025-11-25",
    capabilities: {},
    clientInfo: { name: `mcp-lab-grader-session-${index}`, version: "1.0.0" },
  });
  if ("error" in init) {
    throw new CheckFailure(
      `Opening extra session ${index}: initialize was refused: ${init.error.message} (code ${init.error.code}).`,
      { sent: "initialize (a new session, no Mcp-Session-Id)", actual: init.error },
    );
  }
  await conn.notify("notifications/initialized");
  return { index, conn };
}

/** A tools/call whose failure (JSON-RPC error, HTTP error, isError) is reported, not thrown. */
export async function callInSession(
  session: Session,
  name: string,
  args: Record<string, unknown>,
): Promise<CallOutcome> {
  try {
    const answer = await session.conn.request("tools/call", { name, arguments: args });
    if ("error" in answer) {
      return { ok: false, problem: `JSON-RPC error ${answer.error.code}: ${answer.error.message}` };
    }
    if (answer.result.isError === true) {
      return { ok: false, problem: `isError: ${describe(answer.result.content)}` };
    }
    return { ok: true, result: answer.result };
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
}

/** The first text block of a raw tools/call result. */
export function firstText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? result.content : [];
  const block = content.find(
    (c): c is { type: "text"; text: string } =>
      typeof c === "object" && c !== null && (c as { type?: unknown }).type === "text",
  );
  return block?.text ?? "";
}

/**
 * The object a raw tools/call result carries: its structuredContent, else JSON in its first text
 * block (this check is about who gets which answer, not about the result's shape).
 */
export function objectOf(result: Record<string, unknown>): unknown {
  if (typeof result.structuredContent === "object" && result.structuredContent !== null)
    return result.structuredContent;
  try {
    return JSON.parse(firstText(result));
  } catch {
    return firstText(result) || undefined;
  }
}

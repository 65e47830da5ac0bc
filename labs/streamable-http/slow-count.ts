// slow_count through the grader's SDK client itself (not ctx.callTool): only the client's own
// request options send a progressToken (onprogress) or notifications/cancelled (an aborted signal).
import {
  type CallToolResult,
  CallToolResultSchema,
  McpError,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import type { CheckContext } from "../../conformance/check-api.ts";
import { CheckFailure } from "../../conformance/check-api.ts";

export interface SlowCountArgs {
  [key: string]: unknown;
  job: string;
  n: number;
  delay_ms: number;
}

export function callSlowCount(
  ctx: CheckContext,
  args: SlowCountArgs,
  options: { signal: AbortSignal; timeout: number; onprogress?: (progress: Progress) => void },
): Promise<CallToolResult> {
  return ctx.client.request(
    { method: "tools/call", params: { name: "slow_count", arguments: args } },
    CallToolResultSchema,
    options,
  );
}

/** An error from a direct ctx.client call, as a failure a learner can act on. */
export function callFailed(err: unknown, what: string, sent: unknown): CheckFailure {
  if (err instanceof CheckFailure) return err;
  const reason =
    err instanceof McpError
      ? `JSON-RPC error ${err.code}: ${err.message.replace(/^MCP error -?\d+: /, "")}`
      : (err as Error).message;
  return new CheckFailure(`${what} failed: ${reason}`, { sent });
}

// Revision 2026-07-28 requests over Streamable HTTP: no initialize, no session; every POST carries
// MCP-Protocol-Version, Mcp-Method (and Mcp-Name) headers and the per-request `_meta` envelope.
// Spec: 2026-07-28/basic/transports/streamable-http#request-metadata, 2026-07-28/server/discover.
import type { CheckContext } from "../../conformance/check-api.ts";
import { describeRequest, type RawHttpAnswer, rawRequest } from "../../conformance/http-checks/raw-http.ts";

export const MODERN_VERSION = "2026-07-28";

export interface ModernExchange {
  sent: string;
  answer: RawHttpAnswer;
}

/** One stateless 2026-07-28 request; `name` fills Mcp-Name (tools/call, resources/read, prompts/get). */
export async function modernRequest(
  ctx: CheckContext,
  id: number,
  method: string,
  params: Record<string, unknown> = {},
  name?: string,
): Promise<ModernExchange> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": MODERN_VERSION,
    "mcp-method": method,
    ...(name === undefined ? {} : { "mcp-name": name }),
  };
  const body = {
    jsonrpc: "2.0",
    id,
    method,
    params: {
      ...params,
      _meta: {
        "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
        "io.modelcontextprotocol/clientInfo": { name: "mcp-lab-grader-stateless", version: "1.0.0" },
        "io.modelcontextprotocol/clientCapabilities": {},
      },
    },
  };
  const answer = await rawRequest(ctx, "POST", headers, body);
  return { sent: describeRequest("POST", headers, body), answer };
}

/** The JSON-RPC `result` of an answer, if it carried one. */
export function resultOf(answer: RawHttpAnswer): Record<string, unknown> | undefined {
  const message = answer.message as { result?: unknown } | undefined;
  const result = message?.result;
  return typeof result === "object" && result !== null ? (result as Record<string, unknown>) : undefined;
}

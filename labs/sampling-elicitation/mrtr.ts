// Revision 2026-07-28 over Streamable HTTP, spoken by hand (the grader's SDK client speaks up to
// 2025-11-25): stateless requests carrying the `_meta` envelope with the client's capabilities, and
// the multi round-trip pattern (basic/patterns/mrtr): an InputRequiredResult, then a retry with a new
// id, the answers in `inputResponses` and `requestState` echoed verbatim.
import type { CheckContext } from "../../conformance/check-api.ts";
import { MCP_ACCEPT } from "../../conformance/harness/raw-connection.ts";

export const MODERN_VERSION = "2026-07-28";

export interface ModernAnswer {
  status: number;
  /** Every JSON-RPC message in the body (JSON, or each SSE event), in order. */
  messages: Record<string, unknown>[];
  /** The body as sent, for the failure message. */
  sent: string;
}

function messagesOf(type: string, text: string): Record<string, unknown>[] {
  const parse = (data: string): Record<string, unknown>[] => {
    try {
      const value = JSON.parse(data) as unknown;
      return typeof value === "object" && value !== null ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  };
  if (!type.includes("text/event-stream")) return text ? parse(text) : [];
  return text.split(/\r?\n\r?\n/).flatMap((block) =>
    parse(
      block
        .split(/\r?\n/)
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n"),
    ),
  );
}

/** One stateless 2026-07-28 tools/call declaring `capabilities`. */
export async function modernToolCall(
  ctx: CheckContext,
  id: number,
  name: string,
  params: Record<string, unknown>,
  capabilities: Record<string, unknown>,
): Promise<ModernAnswer> {
  const http = ctx.http;
  if (!http) return ctx.expect.fail("This check needs a Streamable HTTP server.");
  const body = {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: {
      name,
      ...params,
      _meta: {
        "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
        "io.modelcontextprotocol/clientInfo": { name: "mcp-lab-grader-mrtr", version: "1.0.0" },
        "io.modelcontextprotocol/clientCapabilities": capabilities,
      },
    },
  };
  const res = await http.fetch(http.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: MCP_ACCEPT,
      "mcp-protocol-version": MODERN_VERSION,
      "mcp-method": "tools/call",
      "mcp-name": name,
    },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  const text = await res.text();
  return {
    status: res.status,
    messages: messagesOf(res.headers.get("content-type") ?? "", text),
    sent: JSON.stringify(body),
  };
}

/** The JSON-RPC result answering `id`, if the body carried one. */
export function resultFor(answer: ModernAnswer, id: number): Record<string, unknown> | undefined {
  const message = answer.messages.find((m) => m.id === id && "result" in m);
  const result = message?.result;
  return typeof result === "object" && result !== null ? (result as Record<string, unknown>) : undefined;
}

/** JSON-RPC requests the server wrote on the response stream (2026-07-28: MUST NOT). */
export function requestsIn(answer: ModernAnswer): string[] {
  return answer.messages.flatMap((m) =>
    typeof m.method === "string" && m.id !== undefined ? [m.method] : [],
  );
}

// Revision 2026-07-28 requests over Streamable HTTP: no initialize, no session; every POST carries
// MCP-Protocol-Version, Mcp-Method (and Mcp-Name) headers and the per-request `_meta` envelope.
// Spec: 2026-07-28/basic/transports/streamable-http#request-metadata, 2026-07-28/server/discover.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CheckContext } from "../../conformance/check-api.ts";
import { describe, textOf } from "../../conformance/check-api.ts";
import { describeRequest, type RawHttpAnswer, rawRequest } from "../../conformance/http-checks/raw-http.ts";
import { personName } from "./generate.ts";

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

/**
 * stateless-discover: server/discover and a tools/call, both without initialize or session, both
 * answered, neither minting an Mcp-Session-Id.
 */
export async function statelessDiscover(ctx: CheckContext): Promise<string> {
  const discover = await modernRequest(ctx, 1, "server/discover");
  const found = resultOf(discover.answer);
  const versions = Array.isArray(found?.supportedVersions) ? found.supportedVersions : [];
  ctx.expect.ok(
    discover.answer.status === 200 && versions.includes(MODERN_VERSION),
    `server/discover (MCP-Protocol-Version: ${MODERN_VERSION}, no session) answered HTTP ${discover.answer.status}${found ? ` with supportedVersions ${describe(versions)}` : ""}.`,
    {
      sent: discover.sent,
      expected: `HTTP 200 with result.supportedVersions including "${MODERN_VERSION}"`,
      actual: discover.answer.message ?? `HTTP ${discover.answer.status}`,
      hint: "mcp 2.3.0 serves both revisions on one endpoint and routes by MCP-Protocol-Version; do not filter that header to the 2025 versions in front of it.",
    },
  );
  const name = personName(ctx.random);
  const call = await modernRequest(ctx, 2, "tools/call", { name: "greet", arguments: { name } }, "greet");
  const result = resultOf(call.answer);
  const text = result ? textOf(result as CallToolResult) : "";
  ctx.expect.ok(
    call.answer.status === 200 && text.includes(`Hello, ${name}!`),
    `A stateless tools/call greet(${name}) answered HTTP ${call.answer.status}${result ? ` with ${JSON.stringify(text)}` : ""}.`,
    {
      sent: call.sent,
      expected: `"Hello, ${name}!"`,
      actual: call.answer.message ?? `HTTP ${call.answer.status}`,
    },
  );
  const minted = [discover, call].map((e) => e.answer.headers.get("mcp-session-id")).filter(Boolean);
  ctx.expect.ok(minted.length === 0, `A 2026-07-28 answer carried Mcp-Session-Id ${minted[0]}.`, {
    sent: call.sent,
    hint: "Revision 2026-07-28 has no sessions: do not mint or echo session ids for it.",
  });
  return `server/discover lists ${describe(versions)}; greet answered without a session`;
}

// Raw Streamable HTTP requests for transport checks (headers, status codes), outside the SDK client.
import type { CheckContext, HttpAccess } from "../check-api.ts";
import { MCP_ACCEPT, readJsonRpcBody } from "../harness/raw-connection.ts";
import { REQUESTED_PROTOCOL_VERSION } from "../protocol-checks/versions.ts";

export interface RawHttpAnswer {
  status: number;
  headers: Headers;
  /** The JSON-RPC message in the body (JSON or the first SSE event), if any. */
  message: unknown;
}

export function httpOf(ctx: CheckContext): HttpAccess {
  if (!ctx.http) return ctx.expect.fail("This check needs a Streamable HTTP server.");
  return ctx.http;
}

/** A description of a raw request for the `sent` field. */
export function describeRequest(method: string, headers: Record<string, string>, body?: unknown): string {
  const h = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  return `HTTP ${method} (${h})${body === undefined ? "" : ` ${JSON.stringify(body)}`}`;
}

export async function rawRequest(
  ctx: CheckContext,
  method: "POST" | "GET" | "DELETE",
  headers: Record<string, string>,
  body?: unknown,
): Promise<RawHttpAnswer> {
  const http = httpOf(ctx);
  const res = await http.fetch(http.url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: ctx.signal,
  });
  const message =
    method === "POST" && res.status < 300 ? await readJsonRpcBody(res) : await res.body?.cancel();
  return { status: res.status, headers: res.headers, message };
}

export function initializeBody(id = 1, protocolVersion = REQUESTED_PROTOCOL_VERSION): object {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: "mcp-lab-grader-http", version: "1.0.0" },
    },
  };
}

export const JSON_HEADERS = { "content-type": "application/json", accept: MCP_ACCEPT };

/** Opens a fresh session: initialize + notifications/initialized. */
export async function openSession(
  ctx: CheckContext,
): Promise<{ sessionId: string | undefined; version: string }> {
  const init = await rawRequest(ctx, "POST", JSON_HEADERS, initializeBody());
  ctx.expect.ok(init.status === 200, `A fresh initialize over HTTP answered ${init.status}.`, {
    sent: describeRequest("POST", JSON_HEADERS, initializeBody()),
    expected: "HTTP 200 with the InitializeResult",
    actual: `HTTP ${init.status}`,
  });
  const sessionId = init.headers.get("mcp-session-id") ?? undefined;
  const result = (init.message as { result?: { protocolVersion?: string } } | undefined)?.result;
  const version = result?.protocolVersion ?? REQUESTED_PROTOCOL_VERSION;
  const headers: Record<string, string> = { ...JSON_HEADERS, "mcp-protocol-version": version };
  if (sessionId) headers["mcp-session-id"] = sessionId;
  await rawRequest(ctx, "POST", headers, { jsonrpc: "2.0", method: "notifications/initialized" });
  return { sessionId, version };
}

export function sessionHeaders(session: {
  sessionId: string | undefined;
  version: string;
}): Record<string, string> {
  const headers: Record<string, string> = { ...JSON_HEADERS, "mcp-protocol-version": session.version };
  if (session.sessionId) headers["mcp-session-id"] = session.sessionId;
  return headers;
}

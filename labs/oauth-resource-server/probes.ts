// Raw Streamable HTTP requests with a chosen bearer token (or none), outside the grader's own
// session: each check plays its own users. Failure text never prints a whole token, only what it is.
import type { CheckContext, HttpAccess } from "../../conformance/check-api.ts";
import { CheckFailure, describe } from "../../conformance/check-api.ts";
import { MCP_ACCEPT, readJsonRpcBody } from "../../conformance/harness/raw-connection.ts";

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The JSON-RPC message of a 2xx answer (JSON or the first SSE event). */
  message: unknown;
  /** The body of a non-2xx answer (first 300 characters). */
  text: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export interface RawSession {
  id: string | undefined;
  version: string;
  token: string;
  /** Who this is, for messages ("alice (tenant acme-123)"). */
  who: string;
}

/** What a tools/call came back as. */
export type ToolOutcome =
  | { kind: "ok"; structured: Record<string, unknown> | undefined; text: string }
  | { kind: "tool-error"; text: string }
  | { kind: "rpc-error"; code: number; message: string }
  | { kind: "http"; status: number; challenge: Challenge | undefined; text: string };

const PROTOCOL_VERSION = "2025-11-25";

function httpOf(ctx: CheckContext): HttpAccess {
  if (!ctx.http) throw new CheckFailure("This lab grades a Streamable HTTP server.");
  return ctx.http;
}

export const initializeMessage = (id = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "mcp-lab-grader-oauth", version: "1.0.0" },
  },
});

/** A POST to the MCP endpoint (or `path`) with `authorization` as given (null: no header). */
export async function post(
  ctx: CheckContext,
  body: unknown,
  options: { authorization: string | null; session?: RawSession; path?: string },
): Promise<HttpAnswer> {
  const http = httpOf(ctx);
  const headers: Record<string, string> = { "content-type": "application/json", accept: MCP_ACCEPT };
  if (options.authorization !== null) headers.authorization = options.authorization;
  if (options.session?.id) headers["mcp-session-id"] = options.session.id;
  if (options.session) headers["mcp-protocol-version"] = options.session.version;
  const res = await http.fetch(options.path ?? http.url, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  if (res.status >= 200 && res.status < 300) {
    return { status: res.status, headers: res.headers, message: await readJsonRpcBody(res), text: "" };
  }
  return {
    status: res.status,
    headers: res.headers,
    message: undefined,
    text: (await res.text()).slice(0, 300),
  };
}

export async function get(ctx: CheckContext, url: string): Promise<{ status: number; text: string }> {
  const res = await httpOf(ctx).fetch(url, {
    method: "GET",
    headers: { accept: "application/json" },
    signal: ctx.signal,
  });
  return { status: res.status, text: (await res.text()).slice(0, 20_000) };
}

export const bearer = (token: string) => `Bearer ${token}`;

/** Parses the first challenge of a WWW-Authenticate header (RFC 9110 §11.6.1 auth-params). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const m of (match[2] ?? "").matchAll(re)) {
    const name = (m[1] ?? "").toLowerCase();
    if (!(name in params)) params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
  }
  return { scheme: (match[1] ?? "").toLowerCase(), params };
}

export const challengeOf = (answer: HttpAnswer) => parseChallenge(answer.headers.get("www-authenticate"));

/** Opens an MCP session as the token's user; fails the check if the server refuses a valid token. */
export async function openSession(ctx: CheckContext, token: string, who: string): Promise<RawSession> {
  const init = await post(ctx, initializeMessage(), { authorization: bearer(token) });
  const result = (init.message as { result?: { protocolVersion?: unknown } } | undefined)?.result;
  if (init.status !== 200 || !result) {
    throw new CheckFailure(
      `initialize with a valid token for ${who} answered HTTP ${init.status}${init.text ? `: ${init.text}` : ""}.`,
      {
        sent: `POST /mcp initialize, Authorization: Bearer <valid token for ${who}>`,
        expected: "HTTP 200 with the InitializeResult",
        actual: `HTTP ${init.status} ${describe(init.message ?? init.text)}`,
        hint: "A token signed by the JWKS key, issued by OAUTH_ISSUER for MCP_RESOURCE, unexpired, must be accepted.",
      },
    );
  }
  const session: RawSession = {
    id: init.headers.get("mcp-session-id") ?? undefined,
    version: typeof result.protocolVersion === "string" ? result.protocolVersion : PROTOCOL_VERSION,
    token,
    who,
  };
  await post(
    ctx,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { authorization: bearer(token), session },
  );
  return session;
}

let nextId = 100;

/** tools/call in `session`, with the session's token or another one. */
export async function callTool(
  ctx: CheckContext,
  session: RawSession,
  name: string,
  args: Record<string, unknown>,
  token = session.token,
): Promise<ToolOutcome> {
  const answer = await post(
    ctx,
    { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } },
    { authorization: bearer(token), session },
  );
  if (answer.status < 200 || answer.status >= 300) {
    return { kind: "http", status: answer.status, challenge: challengeOf(answer), text: answer.text };
  }
  const msg = answer.message as
    | { result?: Record<string, unknown>; error?: { code?: unknown; message?: unknown } }
    | undefined;
  if (msg?.error)
    return { kind: "rpc-error", code: Number(msg.error.code), message: String(msg.error.message) };
  const result = msg?.result ?? {};
  const content = Array.isArray(result.content)
    ? (result.content as Array<{ type?: string; text?: string }>)
    : [];
  const text = content
    .filter((c) => c.type === "text")
    .map((c) => c.text ?? "")
    .join("\n");
  if (result.isError === true) return { kind: "tool-error", text };
  const structured = result.structuredContent;
  return {
    kind: "ok",
    structured:
      typeof structured === "object" && structured !== null
        ? (structured as Record<string, unknown>)
        : undefined,
    text,
  };
}

/** The outcome in a few words, for messages. */
export function describeOutcome(outcome: ToolOutcome): string {
  switch (outcome.kind) {
    case "ok":
      return `a result: ${describe(outcome.structured ?? outcome.text).slice(0, 300)}`;
    case "tool-error":
      return `a tool error (isError): ${outcome.text.slice(0, 200)}`;
    case "rpc-error":
      return `JSON-RPC error ${outcome.code}: ${outcome.message.slice(0, 200)}`;
    case "http":
      return `HTTP ${outcome.status}${outcome.text ? ` ${outcome.text.slice(0, 200)}` : ""}`;
  }
}

/**
 * Fails unless `outcome` is the answer a client can step up from (RFC 6750 §3.1): HTTP 403 with
 * `WWW-Authenticate: Bearer error="insufficient_scope"`, a `scope` naming `needed`, and
 * `resource_metadata`. `granted` is the scope the caller's token had, for the messages.
 */
export function expectInsufficientScope(
  ctx: CheckContext,
  outcome: ToolOutcome,
  call: { tool: string; needed: string; granted: string },
): string {
  const challenge = outcome.kind === "http" ? outcome.challenge : undefined;
  const scopes = (challenge?.params.scope ?? "").split(/\s+/);
  ctx.expect.ok(
    outcome.kind === "http" &&
      outcome.status === 403 &&
      challenge?.scheme === "bearer" &&
      challenge.params.error === "insufficient_scope" &&
      scopes.includes(call.needed) &&
      Boolean(challenge.params.resource_metadata),
    `${call.tool} without ${call.needed} was refused with ${describeOutcome(outcome)}${challenge ? ` (WWW-Authenticate: ${challenge.scheme} ${describe(challenge.params)})` : ""}: a client cannot step up from that.`,
    {
      sent: `tools/call ${call.tool} with a token whose scope is "${call.granted}"`,
      expected: `HTTP 403, WWW-Authenticate: Bearer error="insufficient_scope", scope="${call.needed}" (plus granted scopes if you like), resource_metadata="..."`,
      hint: "Decide the scope at the HTTP layer, before the JSON-RPC call reaches the SDK, so you can answer 403 with the challenge.",
    },
  );
  return `403 insufficient_scope, scope="${challenge?.params.scope}"`;
}

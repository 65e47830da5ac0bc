// Streamable HTTP sessions. Spec: 2025-11-25/basic/transports#session-management.
import type { AppliesToInput, CheckContext, CheckDefinition } from "../check-api.ts";
import { describeRequest, JSON_HEADERS, openSession, rawRequest, sessionHeaders } from "./raw-http.ts";

const isHttp = (s: AppliesToInput) => s.transport === "http" || "only for Streamable HTTP servers";
const issuesSession = (s: AppliesToInput) =>
  s.transport !== "http"
    ? "only for Streamable HTTP servers"
    : s.httpSessionId !== undefined || "the server issues no session id";
const PING = { jsonrpc: "2.0", id: 2, method: "ping" };

/** "a space", "U+00E9 (é)": how a session id character outside visible ASCII is named. */
const nameOfChar = (ch: string): string => {
  if (ch === " ") return "a space";
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return /\p{L}|\p{N}|\p{P}|\p{S}/u.test(ch) ? `${code} (${ch})` : code;
};

export const httpSessionIdIssued: CheckDefinition = {
  id: "http-session-id-issued",
  title: "initialize over HTTP issues an Mcp-Session-Id",
  // The spec says a server MAY assign a session id; MCP Lab teaches stateful 2025-11-25 servers,
  // so a missing id is a warning here (labs that need sessions raise it to "must" in checks.ts).
  severity: "should",
  specRef: "2025-11-25/basic/transports#session-management",
  lesson: "m4/streamable-http-asgi",
  appliesTo: isHttp,
  hint: "Create the transport with a session id generator (sessionIdGenerator: () => randomUUID() / stateless_http=False).",
  run(ctx: CheckContext) {
    const id = ctx.http?.sessionId();
    ctx.expect.ok(id, "The answer to initialize carried no Mcp-Session-Id header.", {
      expected: "an Mcp-Session-Id header on the InitializeResult response",
      actual: "no Mcp-Session-Id header",
    });
    return `issued ${id.length} characters`;
  },
};

export const httpSessionIdFormat: CheckDefinition = {
  id: "http-session-id-format",
  title: "the session id is visible ASCII only",
  severity: "must",
  specRef: "2025-11-25/basic/transports#session-management",
  lesson: "m4/streamable-http-asgi",
  appliesTo: issuesSession,
  run(ctx: CheckContext) {
    const id = ctx.http?.sessionId() ?? "";
    const outside = [...new Set([...id].filter((ch) => !/[\x21-\x7e]/.test(ch)))].map(nameOfChar);
    ctx.expect.ok(
      id !== "" && outside.length === 0,
      id === ""
        ? "The Mcp-Session-Id header is empty."
        : `The Mcp-Session-Id contains characters outside visible ASCII (0x21-0x7E): ${outside.join(", ")}.`,
      {
        actual: JSON.stringify(id),
        hint: "Use a UUID or a base64url token.",
      },
    );
    return "visible ASCII";
  },
};

export const httpSessionRequired: CheckDefinition = {
  id: "http-session-required",
  title: "a request without the session id is refused with 400",
  severity: "should",
  specRef: "2025-11-25/basic/transports#session-management",
  lesson: "m4/streamable-http-asgi",
  appliesTo: issuesSession,
  hint: "When you issue session ids, answer requests without one (other than initialize) with 400 Bad Request.",
  async run(ctx: CheckContext) {
    const headers = { ...JSON_HEADERS, "mcp-protocol-version": ctx.server.protocolVersion ?? "2025-11-25" };
    const res = await rawRequest(ctx, "POST", headers, PING);
    ctx.expect.equal(res.status, 400, `A ping without Mcp-Session-Id answered HTTP ${res.status}.`, {
      sent: describeRequest("POST", headers, PING),
    });
    return "400 without a session id";
  },
};

export const httpSessionEnded: CheckDefinition = {
  id: "http-session-ended-404",
  title: "after DELETE ends a session, requests in it get 404",
  severity: "must",
  specRef: "2025-11-25/basic/transports#session-management",
  lesson: "m4/streamable-http-asgi",
  appliesTo: issuesSession,
  hint: "Forget a session on DELETE (or answer 405 if clients may not end sessions); answer requests for an unknown session id with 404.",
  async run(ctx: CheckContext) {
    const session = await openSession(ctx);
    const headers = sessionHeaders(session);
    const del = await rawRequest(ctx, "DELETE", headers);
    if (del.status === 405)
      return "DELETE is not allowed (405): clients cannot end sessions, which the spec permits";
    ctx.expect.ok(
      del.status >= 200 && del.status < 300,
      `DELETE of a live session answered HTTP ${del.status}.`,
      {
        sent: describeRequest("DELETE", headers),
        expected: "2xx (session ended) or 405 (ending sessions not allowed)",
        actual: `HTTP ${del.status}`,
      },
    );
    const after = await rawRequest(ctx, "POST", headers, PING);
    ctx.expect.equal(after.status, 404, `A request in the ended session answered HTTP ${after.status}.`, {
      sent: describeRequest("POST", headers, PING),
    });
    return "ended session answers 404";
  },
};

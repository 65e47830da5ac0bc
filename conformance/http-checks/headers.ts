// Streamable HTTP headers: Origin, Accept, MCP-Protocol-Version, notifications.
// Spec: 2025-11-25/basic/transports (security warning, sending messages, protocol version header).
import type { AppliesToInput, CheckContext, CheckDefinition } from "../check-api.ts";
import {
  describeRequest,
  initializeBody,
  JSON_HEADERS,
  openSession,
  rawRequest,
  sessionHeaders,
} from "./raw-http.ts";

const isHttp = (s: AppliesToInput) => s.transport === "http" || "only for Streamable HTTP servers";
const FOREIGN_ORIGIN = "http://evil.example";

export const httpOrigin: CheckDefinition = {
  id: "http-origin-forbidden",
  title: "a request with a foreign Origin is refused with 403",
  severity: "must",
  specRef: "2025-11-25/basic/transports#security-warning",
  lesson: "m5/threat-model",
  appliesTo: isHttp,
  hint: "Validate Origin on every request (DNS-rebinding protection): allow your own origins, answer anything else with 403.",
  async run(ctx: CheckContext) {
    const headers = { ...JSON_HEADERS, origin: FOREIGN_ORIGIN };
    const res = await rawRequest(ctx, "POST", headers, initializeBody());
    ctx.expect.equal(
      res.status,
      403,
      `initialize with Origin: ${FOREIGN_ORIGIN} answered HTTP ${res.status}.`,
      {
        sent: describeRequest("POST", headers, initializeBody()),
      },
    );
    return `403 for Origin ${FOREIGN_ORIGIN}`;
  },
};

export const httpAccept: CheckDefinition = {
  id: "http-accept-negotiation",
  title: "a POST whose Accept lacks application/json and text/event-stream is refused",
  // The spec puts the MUST on the client (list both types); it does not say what a server does
  // otherwise. The SDKs answer 406 Not Acceptable; 400 is accepted too.
  severity: "should",
  specRef: "2025-11-25/basic/transports#sending-messages-to-the-server",
  lesson: "m4/streamable-http-asgi",
  appliesTo: isHttp,
  hint: "Check Accept on POST: answer 406 Not Acceptable when the client cannot take application/json and text/event-stream.",
  async run(ctx: CheckContext) {
    const headers = { "content-type": "application/json", accept: "text/html" };
    const res = await rawRequest(ctx, "POST", headers, initializeBody());
    ctx.expect.ok(
      res.status === 406 || res.status === 400,
      `A POST with Accept: text/html answered HTTP ${res.status}.`,
      {
        sent: describeRequest("POST", headers, initializeBody()),
        expected: "HTTP 406 (or 400)",
        actual: `HTTP ${res.status}`,
      },
    );
    return `HTTP ${res.status}`;
  },
};

export const httpProtocolVersion: CheckDefinition = {
  id: "http-protocol-version-header",
  title: "an unsupported MCP-Protocol-Version header is refused with 400",
  severity: "must",
  specRef: "2025-11-25/basic/transports#protocol-version-header",
  lesson: "m4/streamable-http-asgi",
  appliesTo: isHttp,
  hint: "Read MCP-Protocol-Version on every request after initialize and answer 400 when it is not a version you support.",
  async run(ctx: CheckContext) {
    const session = await openSession(ctx);
    const headers = { ...sessionHeaders(session), "mcp-protocol-version": "1999-01-01" };
    const body = { jsonrpc: "2.0", id: 3, method: "ping" };
    const res = await rawRequest(ctx, "POST", headers, body);
    ctx.expect.equal(
      res.status,
      400,
      `A ping with MCP-Protocol-Version: 1999-01-01 answered HTTP ${res.status}.`,
      {
        sent: describeRequest("POST", headers, body),
      },
    );
    return "400 for an unsupported version";
  },
};

export const httpNotification202: CheckDefinition = {
  id: "http-notification-accepted",
  title: "a notification POST is answered 202 Accepted with no body",
  severity: "must",
  specRef: "2025-11-25/basic/transports#sending-messages-to-the-server",
  lesson: "m4/streamable-http-asgi",
  appliesTo: isHttp,
  async run(ctx: CheckContext) {
    const session = await openSession(ctx);
    const headers = sessionHeaders(session);
    const body = {
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 999_999, reason: "probe" },
    };
    const http = ctx.http;
    if (!http) return ctx.expect.fail("no HTTP access");
    const res = await http.fetch(http.url, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
    const text = await res.text();
    ctx.expect.ok(
      res.status === 202 && text.trim() === "",
      `A notification answered HTTP ${res.status}${text ? " with a body" : ""}.`,
      {
        sent: describeRequest("POST", headers, body),
        expected: "HTTP 202 with no body",
        actual: `HTTP ${res.status} ${text.slice(0, 200)}`,
      },
    );
    return "202, no body";
  },
};

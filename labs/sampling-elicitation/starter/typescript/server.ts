// Support desk: the starter of the `sampling-elicitation` lab (TypeScript).
//
// The official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) and zod, over Streamable HTTP
// on node:http. Node 24 runs this file directly (type stripping), so it sticks to erasable TypeScript.
//
// The desk works, but it never asks the client for anything. Your job (README.md has the details):
//
// 1. summarize_ticket and triage_ticket: ask the client's model (sampling/createMessage) with the
//    ticket, inside the call; fall back to an answer of your own when the client cannot sample;
//    treat the model's answer as untrusted (triage: only an exact category, else needs_human).
// 2. create_ticket: priority and description become optional; when one is missing, ask the user
//    with a form (flat, primitive fields), report decline and cancel, and tell the model which
//    arguments to pass when the client cannot show a form.
// 3. connect_crm: the API key must never be an argument or a form field. Use URL mode when the
//    client offers it; otherwise a tool error that names the page to open.
//
// Useful: server.server.getClientCapabilities(), and extra.sendRequest(...) inside a tool handler
// (it ties the request to the tools/call being handled). Lessons: course module 6.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { type CallToolResult, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const PORT = Number(process.env.PORT ?? 8000);
const ALLOWED_HOSTS = new Set([`127.0.0.1:${PORT}`, `localhost:${PORT}`]);
const ALLOWED_ORIGINS = new Set([`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`]);
const MAX_BODY_BYTES = 1024 * 1024;

const PRIORITIES = ["low", "normal", "high"] as const;
const CATEGORIES = ["billing", "bug", "account", "other"] as const;
type Priority = (typeof PRIORITIES)[number];
type Category = (typeof CATEGORIES)[number] | "needs_human";

interface Ticket {
  [key: string]: unknown;
  id: string;
  subject: string;
  priority: Priority;
  description: string;
  category: Category | null;
}

const log = (message: string): void => {
  console.error(`${new Date().toISOString()} support-desk ${message}`);
};

// One desk for every session.
const tickets = new Map<string, Ticket>([
  [
    "T-1",
    {
      id: "T-1",
      subject: "Invoice charged twice",
      priority: "high",
      description: "I was charged twice in May.",
      category: null,
    },
  ],
  [
    "T-2",
    {
      id: "T-2",
      subject: "Cannot reset password",
      priority: "normal",
      description: "The reset mail never arrives.",
      category: null,
    },
  ],
]);
let nextId = tickets.size + 1;

const reply = <T extends Record<string, unknown>>(data: T): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(data) }],
  structuredContent: data,
});
const toolError = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });
const unknownTicket = (id: string) =>
  toolError(`No ticket ${JSON.stringify(id)}. list_tickets shows the ids.`);

const TicketShape = z.object({
  id: z.string(),
  subject: z.string(),
  priority: z.enum(PRIORITIES),
  description: z.string(),
  category: z.enum([...CATEGORIES, "needs_human"]).nullable(),
});

function buildServer(): McpServer {
  const server = new McpServer({ name: "support-desk", version: "1.0.0" });

  server.registerTool(
    "create_ticket",
    {
      description: "Open a support ticket with its subject, priority and description.",
      // TODO: make priority and description optional and ask the user for them (form elicitation).
      inputSchema: {
        subject: z.string().min(1).max(120),
        priority: z.enum(PRIORITIES),
        description: z.string().min(1).max(2000),
      },
      outputSchema: {
        status: z.enum(["created", "declined", "cancelled"]),
        message: z.string(),
        ticket: TicketShape.nullable(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    },
    async ({ subject, priority, description }) => {
      const ticket: Ticket = { id: `T-${nextId++}`, subject, priority, description, category: null };
      tickets.set(ticket.id, ticket);
      return reply({ status: "created", message: `Ticket ${ticket.id} created.`, ticket });
    },
  );

  server.registerTool(
    "list_tickets",
    {
      description: "List every ticket with its priority and triage category.",
      outputSchema: { tickets: z.array(TicketShape) },
      annotations: { readOnlyHint: true },
    },
    async () => reply({ tickets: [...tickets.values()] }),
  );

  server.registerTool(
    "summarize_ticket",
    {
      description: "Summarise a ticket in a sentence or two.",
      inputSchema: { ticket_id: z.string().max(32) },
      outputSchema: {
        ticket_id: z.string(),
        summary: z.string(),
        source: z.enum(["model", "fallback"]),
        model: z.string().nullable(),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ ticket_id }) => {
      const ticket = tickets.get(ticket_id);
      if (!ticket) return unknownTicket(ticket_id);
      // TODO: ask the client's model when it can sample; keep this as the fallback.
      return reply({ ticket_id, summary: ticket.subject, source: "fallback", model: null });
    },
  );

  server.registerTool(
    "triage_ticket",
    {
      description:
        "Set a ticket's category (billing, bug, account, other); needs_human when it cannot decide.",
      inputSchema: { ticket_id: z.string().max(32) },
      outputSchema: {
        ticket_id: z.string(),
        category: z.enum([...CATEGORIES, "needs_human"]),
        source: z.enum(["model", "fallback"]),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    async ({ ticket_id }) => {
      const ticket = tickets.get(ticket_id);
      if (!ticket) return unknownTicket(ticket_id);
      // TODO: ask the client's model for the category; accept only an exact category.
      ticket.category = "needs_human";
      return reply({ ticket_id, category: ticket.category, source: "fallback" });
    },
  );

  server.registerTool(
    "connect_crm",
    {
      description: "Connect the desk to the user's CRM account with its API key.",
      // TODO: a secret must never pass through the model or the client. Remove api_key and send the
      // user to https://desk.example.com/connect/crm with URL-mode elicitation instead.
      inputSchema: { api_key: z.string().min(1) },
      outputSchema: { status: z.enum(["opened", "declined", "cancelled"]), message: z.string() },
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    async ({ api_key }) => {
      log(`CRM connected with a key of ${api_key.length} characters`);
      return reply({ status: "opened", message: "CRM connected." });
    },
  );

  server.registerTool(
    "delete_ticket",
    {
      description:
        "Delete one ticket for good. Only when the user asked for exactly this ticket to be deleted.",
      inputSchema: { ticket_id: z.string().max(32) },
      outputSchema: { deleted: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    },
    async ({ ticket_id }) => {
      if (!tickets.delete(ticket_id)) return unknownTicket(ticket_id);
      log(`ticket ${ticket_id} deleted`);
      return reply({ deleted: ticket_id });
    },
  );

  return server;
}

// Mcp-Session-Id -> that session's transport (and, through it, its McpServer).
const sessions = new Map<string, StreamableHTTPServerTransport>();

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function readJson(req: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (new URL(req.url ?? "/", "http://localhost").pathname !== "/mcp") return refuse(res, 404, "Not found");
  // DNS-rebinding protection: a page on another site may reach 127.0.0.1, but cannot forge Host or Origin.
  if (!ALLOWED_HOSTS.has(req.headers.host ?? "")) return refuse(res, 403, "Forbidden: unexpected Host");
  const origin = req.headers.origin;
  if (origin !== undefined && !ALLOWED_ORIGINS.has(origin))
    return refuse(res, 403, "Forbidden: foreign Origin");

  let body: unknown;
  if (req.method === "POST") {
    const parsed = await readJson(req);
    if (!parsed.ok) return refuse(res, 400, "Parse error: the body is not JSON (or is over 1 MB)");
    body = parsed.value;
  }
  const sessionId = req.headers["mcp-session-id"];
  if (typeof sessionId === "string") {
    const transport = sessions.get(sessionId);
    if (!transport) return refuse(res, 404, "Session not found");
    return transport.handleRequest(req, res, body);
  }
  if (req.method !== "POST" || !isInitializeRequest(body))
    return refuse(res, 400, "Bad Request: send initialize first, then the Mcp-Session-Id it returns");
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await buildServer().connect(transport);
  await transport.handleRequest(req, res, body);
}

http
  .createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).message}`);
      if (!res.headersSent) refuse(res, 500, "Internal error");
    });
  })
  // 127.0.0.1 only: never every interface for a local server.
  .listen(PORT, "127.0.0.1", () => log(`listening on http://127.0.0.1:${PORT}/mcp`));

// Team notes and billing: your starting point for the `oauth-resource-server` lab (TypeScript).
//
// Uses the official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) with zod; express and jose
// come with the SDK and are importable too.
//
// This server works, and it is wide open. It reads the caller's identity from the JWT without checking
// the signature, trusts whatever the token says, never refuses a request, and forwards the caller's
// token to the billing API. Read README.md for the task and the checks that grade it, and run the
// grader locally with:
//
//   npm run grade -- --lab oauth-resource-server --dir labs/oauth-resource-server/starter/typescript --lang typescript
//
// The grader runs the authorization server and the billing API and passes their addresses in the
// environment: MCP_RESOURCE, OAUTH_ISSUER, OAUTH_JWKS_URL, OAUTH_TOKEN_URL, BILLING_API_URL,
// BILLING_CLIENT_ID, BILLING_CLIENT_SECRET (and PORT).
import { randomUUID } from "node:crypto";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolResult,
  isInitializeRequest,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { Request, Response } from "express";
import { z } from "zod";

const PORT = Number(process.env.PORT ?? 8000);
const RESOURCE = process.env.MCP_RESOURCE ?? `http://127.0.0.1:${PORT}/mcp`;
const BILLING_URL = process.env.BILLING_API_URL ?? "http://127.0.0.1:9500";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The Authorization header of the request a tool call came in. */
const authorizationOf = (extra: Extra): string => {
  const value = extra.requestInfo?.headers.authorization;
  return typeof value === "string" ? value : "";
};

/** The token's claims. DANGER: decoded, not verified; anyone can write any claim. */
function claims(extra: Extra): Record<string, unknown> {
  try {
    const payload = authorizationOf(extra).split(" ")[1]?.split(".")[1] ?? "";
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return { sub: "anonymous", tenant: "public", scope: "" };
  }
}

const Note = z.object({ id: z.string(), title: z.string(), body: z.string(), author: z.string() });
type Note = z.infer<typeof Note>;
const Invoice = z.object({ id: z.string(), amount_cents: z.number().int(), status: z.string() });
const BillingSummary = z.object({
  tenant: z.string(),
  currency: z.string(),
  invoices: z.array(Invoice),
  open_balance_cents: z.number().int(),
});

const notes = new Map<string, Note>();
const noteKey = (tenant: string, id: string) => JSON.stringify([tenant, id]);

const structured = (value: Record<string, unknown>): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value) }],
  structuredContent: value,
});
const toolError = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });

function buildServer(): McpServer {
  const server = new McpServer(
    { name: "team-notes", version: "1.0.0" },
    { instructions: "Notes and billing for the signed-in user's organisation." },
  );
  server.registerTool(
    "whoami",
    {
      description:
        "Show who the access token belongs to. Use when the user asks which account or organisation they are in.",
      outputSchema: { sub: z.string(), tenant: z.string(), scopes: z.array(z.string()) },
      annotations: { readOnlyHint: true },
    },
    async (extra) => {
      const c = claims(extra);
      const scopes = String(c.scope ?? "")
        .split(" ")
        .filter(Boolean)
        .sort();
      return structured({ sub: String(c.sub), tenant: String(c.tenant), scopes });
    },
  );
  server.registerTool(
    "add_note",
    {
      description:
        "Save a note for the user's organisation. Use when the user asks to write something down. Needs notes:write.",
      inputSchema: { title: z.string(), body: z.string() },
      outputSchema: Note.shape,
    },
    async ({ title, body }, extra) => {
      const c = claims(extra);
      const note: Note = { id: `note-${randomUUID().slice(0, 12)}`, title, body, author: String(c.sub) };
      notes.set(noteKey(String(c.tenant), note.id), note);
      return structured(note);
    },
  );
  server.registerTool(
    "list_notes",
    {
      description:
        "List the notes of the user's organisation. Use when the user asks what notes exist. Needs notes:read.",
      outputSchema: { notes: z.array(Note) },
      annotations: { readOnlyHint: true },
    },
    async (extra) => {
      const tenant = String(claims(extra).tenant);
      const mine = [...notes].filter(([key]) => JSON.parse(key)[0] === tenant).map(([, n]) => n);
      return structured({ notes: mine });
    },
  );
  server.registerTool(
    "read_note",
    {
      description: "Read one note by id. Use when the user names a note from list_notes. Needs notes:read.",
      inputSchema: { id: z.string() },
      outputSchema: Note.shape,
      annotations: { readOnlyHint: true },
    },
    async ({ id }, extra) => {
      const note = notes.get(noteKey(String(claims(extra).tenant), id));
      if (!note) return toolError(`No note ${id} in your organisation. Call list_notes for the ids.`);
      return structured(note);
    },
  );
  server.registerTool(
    "billing_summary",
    {
      description:
        "Show the organisation's invoices and open balance. Use when the user asks what they owe. Needs billing:read.",
      outputSchema: BillingSummary.shape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (extra) => {
      const tenant = String(claims(extra).tenant);
      try {
        // Token passthrough: the caller's token goes to the billing API as is.
        const res = await fetch(`${BILLING_URL}/tenants/${encodeURIComponent(tenant)}/invoices`, {
          headers: { authorization: authorizationOf(extra) },
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`billing API answered ${res.status}`);
        return structured(BillingSummary.parse(await res.json()));
      } catch (err) {
        console.error(`billing API call failed: ${(err as Error).message}`);
        return toolError("The billing service is unavailable right now; try again later.");
      }
    },
  );
  return server;
}

const sessions = new Map<string, StreamableHTTPServerTransport>();
const allowedOrigins = new Set([`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`]);

function rpcError(res: Response, status: number, message: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

async function handleMcp(req: Request, res: Response): Promise<void> {
  const sessionId = req.header("mcp-session-id");
  let transport = sessionId ? sessions.get(sessionId) : undefined;
  if (sessionId && !transport) return rpcError(res, 404, "Session not found");
  if (!transport) {
    if (req.method !== "POST" || !isInitializeRequest(req.body))
      return rpcError(res, 400, "Bad Request: no session id");
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, created);
      },
    });
    created.onclose = () => {
      if (created.sessionId) sessions.delete(created.sessionId);
    };
    await buildServer().connect(created);
    transport = created;
  }
  await transport.handleRequest(req, res, req.body);
}

const app = createMcpExpressApp(); // 127.0.0.1, with Host-header (DNS rebinding) checks
app.use((req, res, next) => {
  const origin = req.header("origin");
  if (origin !== undefined && !allowedOrigins.has(origin))
    return rpcError(res, 403, "Forbidden: foreign Origin");
  next();
});
app.all(new URL(RESOURCE).pathname, (req, res) => {
  void handleMcp(req, res);
});
app.listen(PORT, "127.0.0.1", () => console.error(`team-notes listening on ${RESOURCE}`));

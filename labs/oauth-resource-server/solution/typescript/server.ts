// Team notes and billing: a multi-tenant MCP server protected as an OAuth 2.1 resource server.
//
// Every HTTP request to /mcp carries `Authorization: Bearer <JWT>` issued by OAUTH_ISSUER for
// MCP_RESOURCE (this server). The token's `sub` is the user, `tenant` their organisation and `scope`
// what they may do; each tool needs one scope. Notes are stored per tenant. Billing comes from the
// billing API, called with this server's own client-credentials token, never the user's.
//
// The Express middleware chain is the security boundary: protected resource metadata (RFC 9728),
// the SDK's requireBearerAuth with a jose verifier (signature from the JWKS, iss, aud, exp, nbf),
// a per-tool scope gate, and one audit line per decision. Tools read the caller from extra.authInfo.
import { randomUUID } from "node:crypto";
import { InvalidTokenError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import { getOAuthProtectedResourceMetadataUrl } from "@modelcontextprotocol/sdk/server/auth/router.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { type CallToolResult, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { NextFunction, Request, Response } from "express";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const PORT = Number(env("PORT"));
const RESOURCE = env("MCP_RESOURCE"); // canonical URI: the audience every token must name
const ISSUER = env("OAUTH_ISSUER");
const JWKS_URL = env("OAUTH_JWKS_URL");
const TOKEN_URL = env("OAUTH_TOKEN_URL");
const BILLING_URL = env("BILLING_API_URL");
const BILLING_CLIENT_ID = env("BILLING_CLIENT_ID");
const BILLING_CLIENT_SECRET = env("BILLING_CLIENT_SECRET");

const resourceUrl = new URL(RESOURCE);
// RFC 9728 §3.1: .../.well-known/oauth-protected-resource/mcp for a resource at .../mcp.
const METADATA_URL = getOAuthProtectedResourceMetadataUrl(resourceUrl);
const METADATA = {
  resource: RESOURCE,
  authorization_servers: [ISSUER],
  scopes_supported: ["notes:read", "notes:write", "billing:read"],
  bearer_methods_supported: ["header"],
};

/** Each tool and the one scope it needs (null: any valid token). */
const TOOL_SCOPES: Record<string, string | null> = {
  whoami: null,
  add_note: "notes:write",
  list_notes: "notes:read",
  read_note: "notes:read",
  billing_summary: "billing:read",
};

interface Caller {
  sub: string;
  tenant: string;
  clientId: string;
  scopes: string[];
}

/** One JSON line per authorization decision, on stderr. Never the token itself. */
function audit(decision: "allow" | "deny", reason: string, tool: string | null, caller?: Caller): void {
  const record = {
    ts: Date.now() / 1000,
    event: "authz",
    sub: caller?.sub ?? null,
    tenant: caller?.tenant ?? null,
    client_id: caller?.clientId ?? null,
    tool,
    decision,
    reason,
  };
  console.error(JSON.stringify(record));
}

// Keys come from the JWKS and are cached; a token naming an unknown kid triggers a refetch (key
// rotation), at most once a second so random kids cannot flood the authorization server.
const jwks = createRemoteJWKSet(new URL(JWKS_URL), { cooldownDuration: 1000, cacheMaxAge: 300_000 });

/** Signature (pinned algorithm), then iss, aud, exp, nbf. Any failure becomes a 401. */
async function verifyAccessToken(token: string): Promise<AuthInfo> {
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, jwks, {
      algorithms: ["RS256"], // never the token's own "alg": no "none", no HS256 keyed with a public key
      issuer: ISSUER,
      audience: RESOURCE, // a token issued for another resource is refused
      requiredClaims: ["exp", "sub", "tenant"],
      clockTolerance: 30,
    }));
  } catch (err) {
    throw new InvalidTokenError(`The access token is invalid: ${(err as Error).message}`);
  }
  const caller: Caller = {
    sub: String(claims.sub),
    tenant: String(claims.tenant),
    clientId: String(claims.client_id ?? ""),
    scopes: typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [],
  };
  return {
    token,
    clientId: caller.clientId,
    scopes: caller.scopes,
    expiresAt: Number(claims.exp),
    resource: resourceUrl,
    extra: { caller, issuer: claims.iss },
  };
}

const callerOf = (auth: AuthInfo | undefined): Caller | undefined =>
  auth?.extra?.caller as Caller | undefined;

function calledTool(body: unknown): string | null {
  const message = body as { method?: unknown; params?: { name?: unknown } } | undefined;
  return message?.method === "tools/call" && typeof message.params?.name === "string"
    ? message.params.name
    : null;
}

/** Audits the 401s that requireBearerAuth writes, with the reason from its challenge. */
function auditRefusals(req: Request, res: Response, next: NextFunction): void {
  res.on("finish", () => {
    if (res.statusCode !== 401) return;
    const challenge = String(res.getHeader("www-authenticate") ?? "");
    const reason = /error_description="([^"]*)"/.exec(challenge)?.[1] ?? "no valid bearer token";
    audit("deny", reason, calledTool(req.body));
  });
  next();
}

/** The per-tool scope gate: 403 with a challenge the client can step up from (RFC 6750 §3.1). */
function requireToolScope(req: Request, res: Response, next: NextFunction): void {
  const tool = calledTool(req.body);
  const caller = callerOf(req.auth);
  const needed = tool ? TOOL_SCOPES[tool] : null;
  if (tool && needed && !caller?.scopes.includes(needed)) {
    audit("deny", `insufficient_scope: ${tool} needs ${needed}`, tool, caller);
    res.set(
      "WWW-Authenticate",
      `Bearer error="insufficient_scope", error_description="${tool} needs ${needed}", scope="${needed}", resource_metadata="${METADATA_URL}"`,
    );
    res.status(403).json({ error: "insufficient_scope", error_description: `${tool} needs ${needed}` });
    return;
  }
  if (tool) audit("allow", needed ? `scope ${needed}` : "any valid token", tool, caller);
  next();
}

/** This server's own token for the billing API (client credentials), reused until near expiry. */
let serviceToken: { value: string; expiresAt: number } | undefined;

async function billingToken(): Promise<string> {
  if (serviceToken && Date.now() < serviceToken.expiresAt - 30_000) return serviceToken.value;
  const basic = Buffer.from(
    `${encodeURIComponent(BILLING_CLIENT_ID)}:${encodeURIComponent(BILLING_CLIENT_SECRET)}`,
  ).toString("base64");
  const res = await fetch(TOKEN_URL, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      resource: BILLING_URL,
      scope: "invoices:read",
    }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const answer = (await res.json()) as { access_token: string; expires_in?: number };
  serviceToken = { value: answer.access_token, expiresAt: Date.now() + (answer.expires_in ?? 60) * 1000 };
  return serviceToken.value;
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

// The tenant is part of every key: a lookup cannot reach another tenant's note.
const notes = new Map<string, Note>();
const noteKey = (tenant: string, id: string) => JSON.stringify([tenant, id]);

const structured = (value: Record<string, unknown>): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value) }],
  structuredContent: value,
});
const toolError = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });
const unauthenticated = toolError("This tool needs an authenticated HTTP request.");

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
      const caller = callerOf(extra.authInfo);
      if (!caller) return unauthenticated;
      return structured({ sub: caller.sub, tenant: caller.tenant, scopes: [...caller.scopes].sort() });
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
      const caller = callerOf(extra.authInfo);
      if (!caller) return unauthenticated;
      const note: Note = { id: `note-${randomUUID().slice(0, 12)}`, title, body, author: caller.sub };
      notes.set(noteKey(caller.tenant, note.id), note);
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
      const caller = callerOf(extra.authInfo);
      if (!caller) return unauthenticated;
      const mine = [...notes].filter(([key]) => JSON.parse(key)[0] === caller.tenant).map(([, n]) => n);
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
      const caller = callerOf(extra.authInfo);
      if (!caller) return unauthenticated;
      const note = notes.get(noteKey(caller.tenant, id));
      // The same answer for "no such note" and "another organisation's note": no existence oracle.
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
      const caller = callerOf(extra.authInfo);
      if (!caller) return unauthenticated;
      try {
        const res = await fetch(`${BILLING_URL}/tenants/${encodeURIComponent(caller.tenant)}/invoices`, {
          headers: { authorization: `Bearer ${await billingToken()}` },
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

// Each MCP session belongs to the principal that opened it: another user's token cannot use it.
const sessions = new Map<string, { transport: StreamableHTTPServerTransport; owner: string }>();
const ownerOf = (auth: AuthInfo | undefined) => `${String(auth?.extra?.issuer)} ${callerOf(auth)?.sub}`;
const allowedOrigins = new Set([`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`]);

function rpcError(res: Response, status: number, message: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

async function handleMcp(req: Request, res: Response): Promise<void> {
  const sessionId = req.header("mcp-session-id");
  const known = sessionId ? sessions.get(sessionId) : undefined;
  if (sessionId && (!known || known.owner !== ownerOf(req.auth)))
    return rpcError(res, 404, "Session not found");
  let transport = known?.transport;
  if (!transport) {
    if (req.method !== "POST" || !isInitializeRequest(req.body))
      return rpcError(res, 400, "Bad Request: no session id");
    const owner = ownerOf(req.auth);
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport: created, owner });
      },
    });
    created.onclose = () => {
      if (created.sessionId) sessions.delete(created.sessionId);
    };
    await buildServer().connect(created);
    transport = created;
  }
  await transport.handleRequest(req, res, req.body); // req.auth reaches tools as extra.authInfo
}

const app = createMcpExpressApp(); // 127.0.0.1, with Host-header (DNS rebinding) checks
app.use((req, res, next) => {
  const origin = req.header("origin");
  if (origin !== undefined && !allowedOrigins.has(origin))
    return rpcError(res, 403, "Forbidden: foreign Origin");
  next();
});
const metadataPath = new URL(METADATA_URL).pathname;
app.get([metadataPath, "/.well-known/oauth-protected-resource"], (_req, res) => {
  res.json(METADATA);
});
const bearer = requireBearerAuth({
  verifier: { verifyAccessToken },
  resourceMetadataUrl: METADATA_URL, // goes into WWW-Authenticate on 401
  expectedResource: resourceUrl,
});
app.all(resourceUrl.pathname, auditRefusals, bearer, requireToolScope, (req, res) => {
  void handleMcp(req, res);
});
app.listen(PORT, "127.0.0.1", () => console.error(`team-notes listening on ${RESOURCE}`));

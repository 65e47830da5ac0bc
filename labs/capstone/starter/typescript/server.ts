// Ops desk: your capstone (TypeScript, @modelcontextprotocol/sdk 1.32.2 + zod).
//
// A skeleton that starts and serves Streamable HTTP, and nothing more: every tool answers "not
// built yet", nothing is protected, nothing is logged. README.md is the brief: what to build, which
// environment variables the grader sets (the authorization server, the billing and inventory APIs),
// what each check expects, and how to run the grader locally.
//
// The labs you solved before hold most of the pieces: oauth-resource-server (the token layer,
// scopes, the billing API), injection-defense (documents under a root, fenced text, dry runs),
// resilience-observability (the inventory API, logs, metrics), streamable-http (sessions, Origin).
//
// Node 24 runs this file directly (type stripping): stick to erasable TypeScript.
import { randomUUID } from "node:crypto";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { type CallToolResult, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const VERSION = "0.1.0"; // the version of your tool contract: keep contract/tools.json and CHANGELOG.md in step
const PORT = Number(process.env.PORT);

const notBuilt = (what: string): CallToolResult => ({
  content: [{ type: "text", text: `Not built yet: ${what}. See README.md.` }],
  isError: true,
});

function buildServer(): McpServer {
  const server = new McpServer({ name: "ops-desk", version: VERSION });
  server.registerTool("whoami", { description: "Show who the access token belongs to." }, () =>
    notBuilt("whoami reads sub, tenant and scope from the verified access token"),
  );
  server.registerTool(
    "read_document",
    { description: "Read one runbook from docs/.", inputSchema: { path: z.string() } },
    () => notBuilt("read_document returns a document under docs/, fenced as untrusted text"),
  );
  server.registerTool(
    "delete_document",
    {
      description: "Delete one document from docs/ (a preview unless dry_run is false).",
      inputSchema: { path: z.string(), dry_run: z.boolean().default(true) },
    },
    () => notBuilt("delete_document previews by default and deletes with dry_run=false"),
  );
  server.registerTool(
    "get_stock",
    { description: "How many units of a product are available.", inputSchema: { sku: z.string() } },
    () => notBuilt("get_stock calls GET $UPSTREAM_URL/v1/stock/<sku>"),
  );
  server.registerTool("billing_summary", { description: "The organisation's invoices." }, () =>
    notBuilt("billing_summary calls the billing API with this server's own token"),
  );
  return server;
}

// One transport per session; the session id comes back on initialize.
const sessions = new Map<string, StreamableHTTPServerTransport>();
const app = createMcpExpressApp(); // 127.0.0.1, with Host-header (DNS rebinding) checks
app.all("/mcp", async (req, res) => {
  const id = req.header("mcp-session-id");
  let transport = id ? sessions.get(id) : undefined;
  if (!transport) {
    if (id || !isInitializeRequest(req.body)) {
      res
        .status(id ? 404 : 400)
        .json({ jsonrpc: "2.0", error: { code: -32000, message: "No such session" }, id: null });
      return;
    }
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessions.set(sid, created);
      },
    });
    created.onclose = () => {
      if (created.sessionId) sessions.delete(created.sessionId);
    };
    await buildServer().connect(created);
    transport = created;
  }
  await transport.handleRequest(req, res, req.body);
});
app.listen(PORT, "127.0.0.1");

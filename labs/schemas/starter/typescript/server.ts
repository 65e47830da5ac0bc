// Ticket triage: your starting point for the `schemas` lab (TypeScript).
//
// Uses the official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) and zod. Node 24 runs
// this file directly (type stripping), so stick to erasable TypeScript and the SDK's ".js" paths.
//
// It works for a happy-path demo, and that is all: the schemas accept anything, the output has
// no declared shape, and errors hand the caller a stack trace. Read README.md for the task and
// the checks that grade it. Run the grader locally with:
//
//   npm run grade -- --lab schemas --dir labs/schemas/starter/typescript --lang typescript
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "ticket-triage", version: "0.1.0" });
const tickets = new Map<string, Record<string, unknown>>();

server.registerTool(
  "create_ticket",
  {
    description: "Create a ticket.",
    inputSchema: {
      title: z.string(),
      priority: z.string().optional(),
      component: z.string(),
      estimate_hours: z.number(),
      labels: z.array(z.any()).optional(),
    },
  },
  (input) => {
    const id = `TCK-${String(tickets.size + 1).padStart(4, "0")}`;
    const ticket = { id, ...input, status: "open" };
    tickets.set(id, ticket);
    return { content: [{ type: "text", text: JSON.stringify(ticket) }] };
  },
);

server.registerTool(
  "get_ticket",
  { description: "Get a ticket.", inputSchema: { id: z.string() } },
  ({ id }) => {
    try {
      const ticket = tickets.get(id);
      if (!ticket) throw new Error(`ticket lookup failed for ${id}`);
      return { content: [{ type: "text", text: JSON.stringify(ticket) }] };
    } catch (err) {
      return { content: [{ type: "text", text: `Something went wrong:\n${(err as Error).stack}` }] };
    }
  },
);

server.registerResource(
  "ticket",
  new ResourceTemplate("tickets://{id}", { list: undefined }),
  {},
  (uri, { id }) => ({
    contents: [{ uri: uri.href, text: JSON.stringify(tickets.get(String(id)) ?? null) }],
  }),
);

await server.connect(new StdioServerTransport());

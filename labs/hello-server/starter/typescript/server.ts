// Notes service: your starting point for the `hello-server` lab (TypeScript).
//
// Uses the official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2). Node 24 runs this file
// directly (type stripping), so stick to erasable TypeScript: no enums, namespaces or parameter
// properties, and import the SDK with its ".js" paths.
//
// This file runs and answers `initialize`, but it is far from done. Read README.md for the task
// and the checks that grade it. Run the grader locally with:
//
//   npm run grade -- --lab hello-server --dir labs/hello-server/starter/typescript --lang typescript
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

type Note = { id: string; title: string; body: string };

// The whole "database": note id -> note. It lives as long as the process.
const notes = new Map<string, Note>();

const server = new McpServer({ name: "notes", version: "0.1.0" });

server.registerTool(
  "add_note",
  { inputSchema: { title: z.string(), body: z.string() } },
  ({ title, body }) => {
    const id = `note-${notes.size + 1}`;
    notes.set(id, { id, title, body });
    return { content: [{ type: "text", text: `Saved note ${id}` }] };
  },
);

// TODO: search_notes(query, limit=10): find notes whose title, body or tags contain the query.
// TODO: delete_note(id): remove a note; it is destructive, so say so in its annotations.
// TODO: a resource template notes://{id} returning one note as JSON (mimeType application/json),
//       and a resource notes://index listing every note's id and title.
// TODO: a prompt summarize_notes(topic).

console.log("Notes server starting...");
await server.connect(new StdioServerTransport());

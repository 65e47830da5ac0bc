// Documents server: your starting point for the `injection-defense` lab (TypeScript).
//
// @modelcontextprotocol/sdk 1.32.2 + zod; Node 24 runs this file directly (type stripping).
//
// It works, for a caller who means well: it reads documents, fetches pages and deletes documents.
// The grader does not mean well. It plants secrets next to the document folder and symlinks that
// point at them, writes documents full of instructions for your model, controls what host names
// resolve to and runs a web server that redirects wherever it likes. Every tool below trusts its
// input and hands back what it found as if you had written it. Read README.md for the contract and
// the checks, then run the grader locally:
//
//   npm run grade -- --lab injection-defense --dir labs/injection-defense/starter/typescript --lang typescript
import { readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

// stdout is the protocol channel: log to stderr only.
const log = (message: string): void => {
  console.error(`${new Date().toISOString()} documents ${message}`);
};

const ROOT = process.env.DOCS_ROOT || path.join(path.dirname(fileURLToPath(import.meta.url)), "docs");

const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });

const server = new McpServer(
  { name: "documents", version: "1.0.0" },
  {
    instructions:
      "A team's document folder. Read documents with read_document, fetch web pages with fetch_url, " +
      "and remove a document with delete_document.",
  },
);

server.registerTool(
  "read_document",
  {
    description:
      "Read one document from the team's document folder, e.g. guides/release%20notes.md. " +
      "Use this when the user asks what a document says.",
    inputSchema: { path: z.string() },
  },
  async ({ path: p }) => {
    const file = path.resolve(ROOT, decodeURIComponent(p));
    try {
      return text(await readFile(file, "utf8"));
    } catch {
      throw new Error(`No document at ${JSON.stringify(p)}.`);
    }
  },
);

server.registerTool(
  "fetch_url",
  {
    description: "Fetch a web page and return its text. Use this when the user gives you a link.",
    inputSchema: { url: z.string() },
  },
  async ({ url }) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return text(await response.text());
  },
);

server.registerTool(
  "delete_document",
  {
    description: "Delete one document. Pass dry_run=true to see what would be deleted.",
    inputSchema: { path: z.string(), dry_run: z.boolean().default(false) },
  },
  async ({ path: p, dry_run }) => {
    const file = path.resolve(ROOT, decodeURIComponent(p));
    if (dry_run) return text(`Would delete ${p}.`);
    await unlink(file);
    log(`deleted ${file}`);
    return text(`Deleted ${p}.`);
  },
);

await server.connect(new StdioServerTransport());
log(`documents server on stdio, root ${ROOT}`);

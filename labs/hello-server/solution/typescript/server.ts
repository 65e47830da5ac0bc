// Notes service: the reference solution of the `hello-server` lab (TypeScript).
//
// An in-memory notes store exposed over stdio with the official MCP TypeScript SDK
// (@modelcontextprotocol/sdk 1.32.2). Node 24 runs this file directly (type stripping), so it
// sticks to erasable TypeScript: no enums, namespaces or parameter properties.
//
// stdout carries the JSON-RPC protocol and nothing else: every log line goes to stderr
// (console.error), never console.log.
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

type Note = { id: string; title: string; body: string; tags: string[] };

const log = (message: string): void => {
  console.error(`${new Date().toISOString()} notes ${message}`);
};

/** The domain: knows nothing about MCP, so it can be unit-tested on its own. */
class NoteStore {
  private notes = new Map<string, Note>();
  private next = 1;

  add(title: string, body: string, tags: string[]): Note {
    const note: Note = { id: `note-${this.next}`, title, body, tags };
    this.next += 1;
    this.notes.set(note.id, note);
    return note;
  }

  get(id: string): Note | undefined {
    return this.notes.get(id);
  }

  search(query: string, limit: number): Note[] {
    const needle = query.toLowerCase();
    const hits = [...this.notes.values()].filter(
      (n) =>
        n.title.toLowerCase().includes(needle) ||
        n.body.toLowerCase().includes(needle) ||
        n.tags.some((t) => t.toLowerCase().includes(needle)),
    );
    return hits.slice(0, limit);
  }

  delete(id: string): boolean {
    return this.notes.delete(id);
  }

  all(): Note[] {
    return [...this.notes.values()];
  }
}

const noteShape = {
  id: z.string(),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
};

const store = new NoteStore();
const server = new McpServer(
  { name: "notes", version: "1.0.0" },
  {
    instructions:
      "A small notes service. Add notes with add_note, find them with search_notes, " +
      "read one as JSON at notes://{id}, and remove one with delete_note.",
  },
);

// Every tool answers twice: structuredContent for clients that read it, and a JSON text block
// for older clients that only show `content`.
const reply = <T extends Record<string, unknown>>(value: T) => ({
  content: [{ type: "text" as const, text: JSON.stringify(value) }],
  structuredContent: value,
});

server.registerTool(
  "add_note",
  {
    description:
      "Save a new note. Use this when the user asks to remember, write down or save something. " +
      "Returns the created note, including the `id` to use with delete_note and notes://{id}.",
    inputSchema: {
      title: z.string().min(1).max(200).describe("Short title of the note."),
      body: z.string().describe("The note's text."),
      tags: z.array(z.string()).optional().describe("Optional labels for filtering, e.g. ['work']."),
    },
    outputSchema: noteShape,
  },
  ({ title, body, tags }) => {
    const note = store.add(title, body, tags ?? []);
    log(`added ${note.id}`);
    return reply(note);
  },
);

server.registerTool(
  "search_notes",
  {
    description:
      "Find notes whose title, body or tags contain the query (case-insensitive). " +
      "Use this when the user asks what they wrote about something, or to find a note's id.",
    inputSchema: {
      query: z.string().min(1).describe("Text to look for in titles, bodies and tags."),
      limit: z.number().int().min(1).max(50).default(10).describe("Maximum number of matches to return."),
    },
    outputSchema: {
      query: z.string(),
      total: z.number().int(),
      matches: z.array(z.object({ id: z.string(), title: z.string(), snippet: z.string() })),
    },
  },
  ({ query, limit }) => {
    const matches = store
      .search(query, limit)
      .map((n) => ({ id: n.id, title: n.title, snippet: n.body.slice(0, 120) }));
    return reply({ query, total: matches.length, matches });
  },
);

server.registerTool(
  "delete_note",
  {
    description:
      "Permanently delete one note by id. Use this only when the user explicitly asks to remove a note. " +
      "Deleting cannot be undone. Call search_notes first if you do not know the id.",
    inputSchema: { id: z.string().describe("The note id returned by add_note or search_notes.") },
    outputSchema: { id: z.string(), deleted: z.boolean() },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  },
  ({ id }) => {
    if (!store.delete(id)) {
      // A domain error is a tool result with isError, so the model can read it and recover.
      return {
        content: [
          {
            type: "text",
            text: `No note with id '${id}'. Call search_notes to find the id of the note you want to delete.`,
          },
        ],
        isError: true,
      };
    }
    log(`deleted ${id}`);
    return reply({ id, deleted: true });
  },
);

server.registerResource(
  "notes-index",
  "notes://index",
  { description: "Every note's id and title, as a JSON array.", mimeType: "application/json" },
  (uri) => ({
    contents: [
      {
        uri: uri.href,
        mimeType: "application/json",
        text: JSON.stringify(store.all().map((n) => ({ id: n.id, title: n.title }))),
      },
    ],
  }),
);

server.registerResource(
  "note",
  new ResourceTemplate("notes://{id}", { list: undefined }),
  { description: "One note (id, title, body, tags) as a JSON object.", mimeType: "application/json" },
  (uri, { id }) => {
    const note = typeof id === "string" ? store.get(id) : undefined;
    if (!note) {
      // -32602 on the wire: the client asked for something that does not exist.
      throw new McpError(
        ErrorCode.InvalidParams,
        `No note with id '${String(id)}'. Read notes://index for the ids that exist.`,
      );
    }
    return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(note) }] };
  },
);

server.registerPrompt(
  "summarize_notes",
  {
    description: "Ask the model to summarize the notes about a topic.",
    argsSchema: { topic: z.string().describe("What the summary should focus on.") },
  },
  ({ topic }) => {
    const related = store.search(topic, 50);
    const listing =
      related.map((n) => `- ${n.title} (${n.id}): ${n.body}`).join("\n") || "(no matching notes yet)";
    return {
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text:
              `Summarize my notes about ${topic}. Group related points, keep it under 200 words, ` +
              `and cite note ids in brackets.\n\nNotes:\n${listing}`,
          },
        },
      ],
    };
  },
);

await server.connect(new StdioServerTransport());
log("notes server running on stdio");

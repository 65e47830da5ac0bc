// What grades the hello-server lab. `stdout-only-jsonrpc` (and the other protocol checks named in
// lab.yaml) come from the engine; the checks below are this lab's contract.

import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CheckContext, CheckDefinition } from "../../conformance/check-api.ts";
import { CheckFailure, textOf } from "../../conformance/check-api.ts";
import { descriptionsSayWhen } from "../../conformance/reusable-checks.ts";
import { type ExpectedTool, toolContractProblems } from "../../conformance/tool-contract.ts";
import { distinctNotes, marker, type NoteInput, note, topic } from "./generate.ts";
import { mentionsId } from "./inspect.ts";

const Note = z.object({
  id: z.string().min(1),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
});

/** add_note, returning the id it reported. Checks that use it require add-note-returns-id. */
async function addNote(ctx: CheckContext, input: NoteInput): Promise<string> {
  const result = await ctx.callTool("add_note", input);
  return ctx.expect.structuredMatches(result, Note, "add_note did not return the stored note").id;
}

/** The first text content of a resource read, or a failure saying what came back instead. */
function textContent(
  ctx: CheckContext,
  read: ReadResourceResult,
  uri: string,
): { mimeType?: string; text: string } {
  const first = read.contents[0];
  if (!first || !("text" in first) || typeof first.text !== "string") {
    return ctx.expect.fail(`${uri} returned no text content`, { expected: "contents[0].text", actual: read });
  }
  return { mimeType: first.mimeType, text: first.text };
}

function parseJson(ctx: CheckContext, text: string, uri: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return ctx.expect.fail(`${uri} is not valid JSON`, {
      actual: text,
      hint: "Serialize with json.dumps / JSON.stringify and declare mimeType application/json.",
    });
  }
}

function search(ctx: CheckContext, query: string, limit?: number) {
  return ctx.callTool("search_notes", limit === undefined ? { query } : { query, limit });
}

const TOOLS: Record<string, ExpectedTool> = {
  add_note: { params: { title: ["string"], body: ["string"], tags: ["array"] }, required: ["title", "body"] },
  search_notes: { params: { query: ["string"], limit: ["integer", "number"] }, required: ["query"] },
  delete_note: { params: { id: ["string"] }, required: ["id"] },
};

export const checks: CheckDefinition[] = [
  {
    id: "tools-listed",
    title: "tools/list offers add_note, search_notes and delete_note with their parameters",
    severity: "must",
    lesson: "m2/getting-started",
    specRef: "2025-11-25/server/tools#listing-tools",
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const problems = toolContractProblems(tools, TOOLS);
      if (problems.length > 0) {
        throw new CheckFailure(`The tool contract is incomplete: ${problems.join("; ")}.`, {
          expected: "add_note(title, body, tags?), search_notes(query, limit?), delete_note(id)",
          actual: tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema })),
          hint: "The parameter names are part of the contract: a client calls them by these exact names.",
        });
      }
      return `${tools.length} tools listed, all three with the expected parameters`;
    },
  },
  {
    id: "add-note-returns-id",
    title: "add_note stores a note and returns it, id included, as structured content",
    severity: "must",
    lesson: "m2/getting-started",
    specRef: "2025-11-25/server/tools#structured-content",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const input = note(ctx.random, marker(ctx.random));
      const result = await ctx.callTool("add_note", input);
      const stored = ctx.expect.structuredMatches(
        result,
        Note,
        "add_note's structuredContent is not the note",
        {
          hint: "Return the note (id, title, body, tags) from the tool, e.g. a pydantic model or a dict in Python, or structuredContent in TypeScript.",
        },
      );
      ctx.expect.equal(
        { title: stored.title, body: stored.body, tags: stored.tags },
        input,
        "add_note returned a note that differs from what was sent",
      );
      ctx.expect.ok(
        textOf(result).length > 0,
        "add_note's result has no text block for clients that ignore structuredContent",
        {
          hint: "Also return the note as JSON in a text content block (the Python SDK does this for you).",
        },
      );
      return `stored as ${stored.id}`;
    },
  },
  {
    id: "search-finds-note",
    title: "search_notes finds the note that contains the query, and only that one",
    severity: "must",
    lesson: "m2/getting-started",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["add-note-returns-id"],
    async run(ctx: CheckContext) {
      const notes = distinctNotes(ctx.random, 3);
      const ids: string[] = [];
      for (const n of notes) ids.push(await addNote(ctx, n.input));
      const target = ctx.random.int(0, 2);
      const query = notes[target].mark;
      const hits = await search(ctx, query);
      ctx.expect.notError(hits);
      ctx.expect.ok(
        mentionsId(hits, ids[target]),
        `search_notes("${query}") did not return note ${ids[target]}`,
        {
          expected: `a match with id ${ids[target]} (its body contains "${query}")`,
          actual: hits,
          hint: "Match the query case-insensitively against title, body and tags, and return each match's id.",
        },
      );
      const others = ids.filter((id, i) => i !== target && mentionsId(hits, id));
      ctx.expect.ok(others.length === 0, `search_notes("${query}") also returned ${others.join(", ")}`, {
        expected: `only ${ids[target]}`,
        actual: hits,
        hint: "Only notes whose title, body or tags contain the query are matches.",
      });
      const nothing = marker(ctx.random);
      const empty = await search(ctx, nothing);
      ctx.expect.notError(
        empty,
        `search_notes("${nothing}") failed; no match is an empty result, not an error`,
      );
      const stray = ids.filter((id) => mentionsId(empty, id));
      ctx.expect.ok(
        stray.length === 0,
        `search_notes("${nothing}") returned ${stray.join(", ")}, but no note contains it`,
        {
          expected: "no matches",
          actual: empty,
        },
      );
      return `found ${ids[target]} by "${query}", and nothing for "${nothing}"`;
    },
  },
  {
    id: "search-respects-limit",
    title: "search_notes returns at most `limit` matches (default 10)",
    severity: "must",
    lesson: "m2/getting-started",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["search-finds-note"],
    async run(ctx: CheckContext) {
      const shared = marker(ctx.random);
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push(await addNote(ctx, note(ctx.random, shared)));
      const all = await search(ctx, shared);
      ctx.expect.notError(all);
      const found = ids.filter((id) => mentionsId(all, id));
      ctx.expect.ok(
        found.length === 3,
        `search_notes("${shared}") without a limit found ${found.length} of 3 notes`,
        {
          expected: ids,
          actual: all,
          hint: "Without `limit`, return up to 10 matches.",
        },
      );
      const limited = await search(ctx, shared, 2);
      ctx.expect.notError(limited);
      const count = ids.filter((id) => mentionsId(limited, id)).length;
      ctx.expect.ok(
        count >= 1 && count <= 2,
        `search_notes("${shared}", limit: 2) returned ${count} of the 3 matching notes`,
        {
          expected: "1 or 2 matches",
          actual: limited,
          hint: "Cut the matches to `limit` before returning them.",
        },
      );
      return `3 matches without a limit, ${count} with limit 2`;
    },
  },
  {
    id: "note-resource-template",
    title: "notes://{id} serves the note as application/json",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/resources#resource-templates",
    requires: ["add-note-returns-id"],
    async run(ctx: CheckContext) {
      const templates = await ctx.allResourceTemplates();
      ctx.expect.ok(
        templates.some((t) => t.uriTemplate === "notes://{id}"),
        "resources/templates/list does not offer notes://{id}",
        {
          expected: 'a template with uriTemplate "notes://{id}"',
          actual: templates.map((t) => t.uriTemplate),
          hint: 'Python: @mcp.resource("notes://{id}", mime_type="application/json"); TypeScript: registerResource with new ResourceTemplate("notes://{id}", { list: undefined }).',
        },
      );
      const input = note(ctx.random, marker(ctx.random));
      const id = await addNote(ctx, input);
      const uri = `notes://${id}`;
      const content = textContent(ctx, await ctx.readResource(uri), uri);
      ctx.expect.equal(content.mimeType, "application/json", `${uri} is not served as application/json`, {
        hint: "Declare mimeType application/json on the template (Python's default is text/plain).",
      });
      const got = ctx.expect.matches(parseJson(ctx, content.text, uri), Note, `${uri} is not a note object`);
      ctx.expect.equal(
        { id: got.id, title: got.title, body: got.body, tags: got.tags },
        { id, ...input },
        `${uri} differs from the note add_note stored`,
      );
      return `${uri} matches the stored note`;
    },
  },
  {
    id: "notes-index-resource",
    title: "notes://index lists every note's id and title",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/resources#listing-resources",
    requires: ["add-note-returns-id"],
    async run(ctx: CheckContext) {
      const resources = await ctx.allResources();
      ctx.expect.ok(
        resources.some((r) => r.uri === "notes://index"),
        "resources/list does not offer notes://index",
        {
          expected: 'a resource with uri "notes://index"',
          actual: resources.map((r) => r.uri),
          hint: "Register a static resource notes://index next to the notes://{id} template.",
        },
      );
      const added: Array<{ id: string; title: string }> = [];
      for (const n of distinctNotes(ctx.random, 2))
        added.push({ id: await addNote(ctx, n.input), title: n.input.title });
      const content = textContent(ctx, await ctx.readResource("notes://index"), "notes://index");
      const entries = ctx.expect.matches(
        parseJson(ctx, content.text, "notes://index"),
        z.array(z.object({ id: z.string(), title: z.string() })),
        "notes://index is not a JSON array of { id, title }",
      );
      for (const a of added) {
        const entry = entries.find((e) => e.id === a.id);
        ctx.expect.ok(entry, `notes://index does not list ${a.id}`, { expected: a, actual: entries });
        ctx.expect.equal(entry.title, a.title, `notes://index has the wrong title for ${a.id}`);
      }
      return `lists ${entries.length} notes, the ${added.length} new ones included`;
    },
  },
  {
    id: "delete-removes-note",
    title: "delete_note removes the note from search and from notes://{id}",
    severity: "must",
    lesson: "m2/getting-started",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["add-note-returns-id", "search-finds-note"],
    async run(ctx: CheckContext) {
      const mark = marker(ctx.random);
      const id = await addNote(ctx, note(ctx.random, mark));
      ctx.expect.notError(await ctx.callTool("delete_note", { id }), `delete_note("${id}") failed`);
      const hits = await search(ctx, mark);
      ctx.expect.ok(!mentionsId(hits, id), `search_notes still finds ${id} after it was deleted`, {
        actual: hits,
        hint: "Remove the note from the store itself, not just from a view of it.",
      });
      await ctx.expect.rpcError(() => ctx.readResource(`notes://${id}`), {
        message: `notes://${id} still answers with content after the note was deleted`,
        hint: "Reading a note that does not exist is a JSON-RPC error (Python: raise ResourceNotFoundError).",
      });
      await ctx.expect.toolRejects(() => ctx.callTool("delete_note", { id }), {
        message: `Deleting ${id} a second time succeeded; an unknown id should be a tool error`,
        hint: "Return isError: true with a message that says what to do (e.g. 'search for the id first').",
      });
      return `${id} is gone from search and notes://${id}; a second delete is refused`;
    },
  },
  {
    id: "delete-note-annotations",
    title: "delete_note is annotated as destructive",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/tools#tool",
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const tool = tools.find((t) => t.name === "delete_note");
      ctx.expect.ok(tool, "delete_note is not listed, so there is nothing to annotate", {
        actual: tools.map((t) => t.name),
      });
      ctx.expect.ok(
        tool.annotations?.destructiveHint === true,
        "delete_note does not say it is destructive",
        {
          expected: "annotations.destructiveHint: true",
          actual: tool.annotations ?? "(no annotations)",
          hint: "Python: annotations=ToolAnnotations(destructive_hint=True); TypeScript: annotations: { destructiveHint: true }.",
        },
      );
      ctx.expect.ok(tool.annotations?.readOnlyHint !== true, "delete_note is marked readOnlyHint: true", {
        actual: tool.annotations,
      });
      return "destructiveHint: true";
    },
  },
  {
    id: "prompt-summarize-notes",
    title: "summarize_notes(topic) renders with the topic in it",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/prompts#getting-a-prompt",
    async run(ctx: CheckContext) {
      const prompts = await ctx.allPrompts();
      const prompt = prompts.find((p) => p.name === "summarize_notes");
      ctx.expect.ok(prompt, "prompts/list does not offer summarize_notes", {
        actual: prompts.map((p) => p.name),
        hint: "Python: @mcp.prompt() def summarize_notes(topic: str); TypeScript: registerPrompt with argsSchema { topic }.",
      });
      const arg = prompt.arguments?.find((a) => a.name === "topic");
      ctx.expect.ok(arg?.required === true, "summarize_notes does not declare a required `topic` argument", {
        actual: prompt.arguments ?? "(no arguments)",
      });
      const subject = topic(ctx.random);
      const got = await ctx.getPrompt("summarize_notes", { topic: subject });
      ctx.expect.ok(got.messages.length > 0, "summarize_notes returned no messages", { actual: got });
      const text = got.messages
        .map((m) => (m.content.type === "text" ? m.content.text : JSON.stringify(m.content)))
        .join("\n");
      ctx.expect.includes(text, subject, "The rendered prompt does not contain the topic it was given", {
        hint: "Build the message text from the `topic` argument.",
      });
      return `rendered ${got.messages.length} message(s) about "${subject}"`;
    },
  },
  descriptionsSayWhen({
    tools: Object.keys(TOOLS),
    hint: "Models pick tools by their descriptions: say what it does, when to use it, and what it returns.",
  }),
];

// The playground reads resources and gets prompts like the Inspector: hello-server's reference
// servers in the real sandbox, a note added through a tool, then read back through the index
// resource and the notes://{id} template, an unknown id answered with the server's error, and the
// summarize_notes prompt got with its argument; every request shows in the message log.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type PlaygroundAnswer,
  type PlaygroundRequest,
  playgroundRequest,
  startPlayground,
  stopPlayground,
} from "../../../lib/labs/playground.ts";
import { sandboxMode } from "../../conformance/sandbox-mode.ts";
import { labSolutionFiles } from "../../helpers/lab-solution.ts";

const LAB = "hello-server";
const USER = "playground-resources-user";

async function ask(request: PlaygroundRequest): Promise<PlaygroundAnswer> {
  return playgroundRequest(USER, LAB, request, 0);
}

function ok<T>(answer: PlaygroundAnswer): T {
  expect(answer.error).toBeUndefined();
  expect(answer.ok).toBe(true);
  return answer.result as T;
}

type ReadResult = { contents: Array<{ uri: string; mimeType?: string; text?: string }> };
type PromptResult = { messages: Array<{ role: string; content: { type: string; text?: string } }> };

beforeAll(async () => {
  await sandboxMode();
});

afterEach(async () => {
  await stopPlayground(USER, LAB);
});

describe.each(["python", "typescript"] as const)("playground resources and prompts (%s)", (lang) => {
  it("reads a resource and a template instance, and gets a prompt with its arguments", async () => {
    const started = await startPlayground(USER, LAB, lang, await labSolutionFiles(LAB, lang));
    expect(started.state, started.failure ?? "").toBe("ready");

    const added = ok<{ structuredContent: { id: string } }>(
      await ask({
        method: "tools/call",
        params: {
          name: "add_note",
          arguments: { title: "Quarterly taxes", body: "File by the 15th.", tags: ["money"] },
        },
      }),
    );
    const id = added.structuredContent.id;
    expect(id).toMatch(/\S/);

    const listed = ok<{ resources: Array<{ uri: string }> }>(await ask({ method: "resources/list" }));
    expect(listed.resources.map((r) => r.uri)).toContain("notes://index");
    const templates = ok<{ resourceTemplates: Array<{ uriTemplate: string }> }>(
      await ask({ method: "resources/templates/list" }),
    );
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain("notes://{id}");

    const index = ok<ReadResult>(await ask({ method: "resources/read", params: { uri: "notes://index" } }));
    expect(index.contents[0]).toMatchObject({ uri: "notes://index", mimeType: "application/json" });
    expect(JSON.parse(index.contents[0].text ?? "null")).toEqual([{ id, title: "Quarterly taxes" }]);

    const note = ok<ReadResult>(await ask({ method: "resources/read", params: { uri: `notes://${id}` } }));
    expect(JSON.parse(note.contents[0].text ?? "null")).toMatchObject({
      id,
      title: "Quarterly taxes",
      body: "File by the 15th.",
      tags: ["money"],
    });

    // An unknown id: the server's own error reaches the learner, the session stays usable.
    const missing = await ask({ method: "resources/read", params: { uri: "notes://no-such-note" } });
    expect(missing.ok).toBe(false);
    expect(missing.error?.code).toBe(-32602);
    expect(missing.error?.message).toMatch(/No note with id 'no-such-note'/);

    const prompts = ok<{
      prompts: Array<{ name: string; arguments?: Array<{ name: string; required?: boolean }> }>;
    }>(await ask({ method: "prompts/list" }));
    const summarize = prompts.prompts.find((p) => p.name === "summarize_notes");
    expect(summarize?.arguments).toEqual([expect.objectContaining({ name: "topic", required: true })]);

    const got = ok<PromptResult>(
      await ask({
        method: "prompts/get",
        params: { name: "summarize_notes", arguments: { topic: "taxes" } },
      }),
    );
    expect(got.messages[0].role).toBe("user");
    expect(got.messages[0].content.text).toMatch(/Summarize my notes about taxes/);
    expect(got.messages[0].content.text).toContain(id);

    const unknown = await ask({ method: "prompts/get", params: { name: "no_such_prompt", arguments: {} } });
    expect(unknown.ok).toBe(false);
    expect(unknown.error?.message).toMatch(/no_such_prompt/);

    // Every request and its answer are in the playground's message log, in order.
    const sent = unknown.state.messages
      .flatMap((m) =>
        "msg" in m && m.dir === "c2s" && typeof m.msg.method === "string" ? [m.msg.method] : [],
      )
      .filter((method) => method.startsWith("resources/") || method.startsWith("prompts/"));
    expect(sent).toEqual([
      "resources/list",
      "resources/templates/list",
      "resources/read",
      "resources/read",
      "resources/read",
      "prompts/list",
      "prompts/get",
      "prompts/get",
    ]);
  });
});

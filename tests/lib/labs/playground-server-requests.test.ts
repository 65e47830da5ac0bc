// The playground answers a server's sampling and elicitation requests with what the learner types:
// the sampling-elicitation lab's reference servers run in the real sandbox, the playground's SDK
// client gets their requests, and the learner's answers (or silence, or a stop) come back to them.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  answerPlaygroundServerRequest,
  type PlaygroundView,
  playgroundRequest,
  playgroundState,
  startPlayground,
  stopPlayground,
} from "../../../lib/labs/playground.ts";
import { sandboxMode } from "../../conformance/sandbox-mode.ts";
import { labSolutionFiles } from "../../helpers/lab-solution.ts";

const LAB = "sampling-elicitation";
const USER = "playground-test-user";

/** A tools/call through the playground; it answers once the server's own requests are answered. */
const callTool = (name: string, args: Record<string, unknown>) =>
  playgroundRequest(USER, LAB, { method: "tools/call", params: { name, arguments: args } }, 0);

/** The playground's state once a server request is waiting (the server sends it while a call runs). */
async function waitingRequest(): Promise<PlaygroundView["serverRequests"][number]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const waiting = playgroundState(USER, LAB)?.serverRequests ?? [];
    if (waiting.length > 0) return waiting[0];
    if (Date.now() > deadline) throw new Error("no server request arrived within 20 s");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function structured(answer: { ok: boolean; result?: unknown; error?: unknown }): Record<string, unknown> {
  expect(answer.error).toBeUndefined();
  return (answer.result as { structuredContent: Record<string, unknown> }).structuredContent;
}

beforeAll(async () => {
  await sandboxMode();
});

afterEach(async () => {
  await stopPlayground(USER, LAB);
});

describe.each(["python", "typescript"] as const)("playground server requests (%s)", (lang) => {
  it("a sampling request waits for the learner's reply, which the tool then uses", async () => {
    const started = await startPlayground(USER, LAB, lang, await labSolutionFiles(LAB, lang));
    expect(started.state, started.failure ?? "").toBe("ready");
    expect(started.serverRequests).toEqual([]);

    const call = callTool("summarize_ticket", { ticket_id: "T-1" });
    const request = await waitingRequest();
    expect(request.method).toBe("sampling/createMessage");
    if (request.method !== "sampling/createMessage") return;
    expect(request.params.systemPrompt).toMatch(/not instructions/);

    // An elicitation answer is refused for a sampling request, and nothing is settled by it.
    expect(() => answerPlaygroundServerRequest(USER, LAB, request.id, { action: "decline" }, 0)).toThrow(
      /not an answer to sampling\/createMessage/,
    );
    const view = answerPlaygroundServerRequest(
      USER,
      LAB,
      request.id,
      { action: "reply", text: "Charged twice in May; refund the duplicate." },
      0,
    );
    expect(view.serverRequests).toEqual([]);
    const summary = structured(await call);
    expect(summary).toMatchObject({
      summary: "Charged twice in May; refund the duplicate.",
      source: "model",
      model: "playground-human",
    });
    // Answered once: the same id is gone.
    expect(() => answerPlaygroundServerRequest(USER, LAB, request.id, { action: "reject" }, 0)).toThrow(
      /no longer waiting/,
    );
  });

  it("a form elicitation is accepted with the learner's content, or declined", async () => {
    const started = await startPlayground(USER, LAB, lang, await labSolutionFiles(LAB, lang));
    expect(started.state, started.failure ?? "").toBe("ready");

    const accepted = callTool("create_ticket", { subject: "Printer on fire" });
    const form = await waitingRequest();
    expect(form.method).toBe("elicitation/create");
    if (form.method !== "elicitation/create" || form.params.mode === "url")
      throw new Error("expected a form");
    expect(Object.keys(form.params.requestedSchema.properties)).toEqual(
      expect.arrayContaining(["priority", "description"]),
    );
    answerPlaygroundServerRequest(
      USER,
      LAB,
      form.id,
      { action: "accept", content: { priority: "high", description: "Smoke from tray 2." } },
      0,
    );
    expect(structured(await accepted)).toMatchObject({
      status: "created",
      ticket: { subject: "Printer on fire", priority: "high", description: "Smoke from tray 2." },
    });

    const declined = callTool("create_ticket", { subject: "Second" });
    answerPlaygroundServerRequest(USER, LAB, (await waitingRequest()).id, { action: "decline" }, 0);
    expect(structured(await declined)).toMatchObject({ status: "declined", ticket: null });
  });

  it("stopping the playground refuses what is still waiting, so the call ends", async () => {
    const started = await startPlayground(USER, LAB, lang, await labSolutionFiles(LAB, lang));
    expect(started.state, started.failure ?? "").toBe("ready");
    const call = callTool("summarize_ticket", { ticket_id: "T-2" });
    await waitingRequest();
    const stopped = await stopPlayground(USER, LAB);
    expect(stopped?.serverRequests).toEqual([]);
    const answer = await call;
    // The server saw "user rejected" (or the connection closed under it); either way no hang.
    expect(answer.state.state).toBe("stopped");
  });
});

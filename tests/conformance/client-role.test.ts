// "The grader is the client": lab.yaml client capabilities, scripted answers to sampling and
// elicitation, a second client without capabilities, and request association, proven on a probe
// server over stdio and over Streamable HTTP (real sandbox), plus the pieces on their own.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gradeSubmission } from "../../conformance/grade.ts";
import { observeSseStreams } from "../../conformance/harness/http-streams.ts";
import { ServerRequestLog } from "../../conformance/harness/server-requests.ts";
import { parseLabConfig } from "../../conformance/lab-config.ts";
import type { TraceEntry } from "../../conformance/result.ts";

const LABS_ROOT = path.resolve(import.meta.dirname, "../fixtures/labs");
const SERVER_DIR = path.join(LABS_ROOT, "client-probe/server");

async function gradeProbe(labId: "client-probe" | "client-probe-http") {
  const result = await gradeSubmission({
    labId,
    dir: SERVER_DIR,
    lang: "typescript",
    seed: 7,
    labsRoot: LABS_ROOT,
  });
  const messages = Object.fromEntries(result.checks.map((c) => [c.id, `${c.status}: ${c.message}`]));
  return { result, messages };
}

describe("the grader as a client, through the real grader", () => {
  it("stdio: answers as scripted, resets between checks, opens a bare second process", async () => {
    const { result, messages } = await gradeProbe("client-probe");
    expect(result.status, JSON.stringify(messages, null, 2)).toBe("pass");
    expect(messages["scripted-sampling"]).toBe("pass: tools/call ask_model via in-flight");
    expect(messages["scripted-elicitation"]).toBe(
      `pass: ${Array(3).fill("tools/call ask_user via in-flight").join("; ")}`,
    );
    // One pipe: without a per-request stream, an unassociated send made while the call is in
    // flight cannot be told apart on stdio (the lesson says so); after the answer it can.
    expect(messages["unassociated-request"]).toBe("pass: tools/call ask_user via in-flight");
    expect(messages["request-after-return"]).toMatch(
      /^pass: not associated: it arrived while no request from the client was in flight/,
    );
    expect(messages["second-client-scripted"]).toBe("pass: tools/call ask_user via in-flight");
    const failed = result.checks.find((c) => c.id === "failure-lists-server-requests");
    expect(failed?.status).toBe("fail");
    expect(failed?.sent).toBe(
      'tools/call {"name":"ask_model","arguments":{"prompt":"x"}}; meanwhile the server sent sampling/createMessage (1 message, maxTokens 20) -> error -1',
    );
    // The scripted traffic of the main connection is in the run's trace; the second client's is not.
    const methods = result.trace.flatMap((e) =>
      "msg" in e && typeof e.msg.method === "string" ? [e.msg.method] : [],
    );
    expect(methods.filter((m) => m === "sampling/createMessage")).toHaveLength(3);
    expect(methods.filter((m) => m === "elicitation/create")).toHaveLength(6);
  });

  it("HTTP: association is the POST's SSE stream; the standalone GET stream never is", async () => {
    const { result, messages } = await gradeProbe("client-probe-http");
    expect(result.status, JSON.stringify(messages, null, 2)).toBe("pass");
    expect(messages["scripted-sampling"]).toBe("pass: tools/call ask_model via post-stream");
    expect(messages["unassociated-request"]).toMatch(
      /^pass: not associated: it arrived on the standalone GET stream/,
    );
    expect(messages["request-after-return"]).toMatch(
      /^pass: not associated: it arrived on the standalone GET stream/,
    );
    expect(messages["second-client-scripted"]).toBe("pass: tools/call ask_user via post-stream");
  });
});

describe("lab.yaml client capabilities", () => {
  const base = [
    "id: x",
    "title: x",
    "module: 6",
    "summary: x",
    "transport: stdio",
    "languages: [python]",
    "entry: { python: server.py }",
  ];
  it("accepts the capabilities 2025-11-25 defines", () => {
    const parsed = parseLabConfig(
      [
        ...base,
        "client:",
        "  capabilities: { sampling: { tools: {} }, elicitation: { form: {}, url: {} }, roots: { listChanged: true } }",
      ].join("\n"),
    );
    expect(parsed.ok && parsed.value.client?.capabilities).toEqual({
      sampling: { tools: {} },
      elicitation: { form: {}, url: {} },
      roots: { listChanged: true },
    });
  });
  it("refuses a misspelt capability instead of silently declaring nothing", () => {
    const parsed = parseLabConfig([...base, "client:", "  capabilities: { elicitaton: {} }"].join("\n"));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/client\.capabilities/);
  });
});

const entry = (dir: "c2s" | "s2c", t: number, msg: Record<string, unknown>): TraceEntry => ({
  dir,
  t,
  msg: { jsonrpc: "2.0", ...msg },
});

describe("ServerRequestLog", () => {
  const call = entry("c2s", 1, { id: 5, method: "tools/call", params: { name: "summarize" } });
  const ask = entry("s2c", 2, { id: 0, method: "elicitation/create", params: { message: "?" } });
  const answer = entry("c2s", 3, { id: 0, result: { action: "decline" } });
  const done = entry("s2c", 4, { id: 5, result: { content: [] } });

  it("stdio: associated while the call is in flight, with the client's answer", () => {
    const log = new ServerRequestLog("stdio");
    for (const e of [call, ask, answer, done]) log.observe(e);
    const [record] = log.since();
    expect(record?.answer).toEqual({ result: { action: "decline" } });
    expect(record && log.associationOf(record)).toEqual({
      associated: true,
      how: "in-flight",
      with: { id: 5, method: "tools/call", params: { name: "summarize" } },
    });
  });

  it("stdio: a request after the call's answer (even in the same chunk) belongs to no request", () => {
    const log = new ServerRequestLog("stdio");
    for (const e of [call, done, ask]) log.observe(e);
    const [record] = log.since();
    expect(record && log.associationOf(record)).toMatchObject({
      associated: false,
      problem: expect.stringMatching(/no request from the client was in flight/),
    });
  });

  it("HTTP: the stream decides, not the timing", () => {
    const onGet = new ServerRequestLog("http", () => ({ kind: "get" }));
    const onPost = new ServerRequestLog("http", () => ({ kind: "post", requestId: 5, method: "tools/call" }));
    const onOther = new ServerRequestLog("http", () => ({
      kind: "post",
      requestId: 9,
      method: "tools/call",
    }));
    for (const log of [onGet, onPost, onOther]) for (const e of [call, ask]) log.observe(e);
    const first = (log: ServerRequestLog) => {
      const [record] = log.since();
      if (!record) throw new Error("no record");
      return log.associationOf(record);
    };
    expect(first(onGet)).toMatchObject({
      associated: false,
      problem: expect.stringMatching(/standalone GET stream/),
    });
    expect(first(onPost)).toMatchObject({ associated: true, how: "post-stream", with: { id: 5 } });
    // On the stream of request 9, which is not in flight (never sent here): not associated.
    expect(first(onOther)).toMatchObject({ associated: false });
  });

  it("mark/since list only what came later", () => {
    const log = new ServerRequestLog("stdio");
    log.observe(call);
    log.observe(ask);
    const mark = log.mark();
    expect(log.since(mark)).toEqual([]);
    log.observe(entry("s2c", 5, { id: 1, method: "sampling/createMessage", params: {} }));
    expect(log.since(mark).map((r) => r.method)).toEqual(["sampling/createMessage"]);
  });
});

describe("observeSseStreams", () => {
  const sse = (...messages: object[]) =>
    messages.map((m) => `event: message\ndata: ${JSON.stringify(m)}\n\n`).join("");

  it("labels server requests by the stream that carried them and passes the bytes through unchanged", async () => {
    const getBody = sse({ jsonrpc: "2.0", id: 1, method: "elicitation/create", params: {} });
    const postBody = sse(
      { jsonrpc: "2.0", id: 2, method: "sampling/createMessage", params: {} },
      { jsonrpc: "2.0", id: 7, result: {} },
    );
    const inner = (async (_input: unknown, init?: RequestInit) => {
      const body = init?.method === "GET" ? getBody : postBody;
      // Split mid-event, as a network would.
      const bytes = new TextEncoder().encode(body);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, 30));
          controller.enqueue(bytes.slice(30));
          controller.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    }) as typeof fetch;
    const observed = observeSseStreams(inner);
    const get = await observed.fetch("http://x/mcp", { method: "GET" });
    expect(await get.text()).toBe(getBody);
    const post = await observed.fetch("http://x/mcp", {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: {} }),
    });
    expect(await post.text()).toBe(postBody);
    expect(observed.streamOf(1)).toEqual({ kind: "get" });
    expect(observed.streamOf(2)).toEqual({ kind: "post", requestId: 7, method: "tools/call" });
    expect(observed.streamOf(7)).toBeUndefined(); // a response, not a server request
    expect(observed.streamOf("2")).toBeUndefined(); // ids keep their type
  });
});

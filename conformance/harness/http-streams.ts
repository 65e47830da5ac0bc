// Streamable HTTP: which stream each server->client request arrived on. The SDK's client transport
// hands every message to one onmessage, whatever the stream; request association (2025-11-25
// basic/transports: messages on a POST's SSE stream "SHOULD relate to the originating client
// request"; SEP-2260 makes it a MUST) can only be graded by knowing the stream. So the grader's fetch
// is wrapped: each SSE response body passes through a transform that reads its events *before*
// handing the bytes on, and labels every server request id with the stream that carried it.
// The label is therefore set before the SDK can parse (and the trace record) the same message.

export type RequestId = string | number;

/** The stream a server->client request came on. */
export type StreamLabel =
  /** The SSE stream answering the POST of client request `requestId` (its `method`). */
  | { kind: "post"; requestId: RequestId; method: string }
  /** The standalone GET stream (for messages unrelated to any client request). */
  | { kind: "get" };

export interface ObservedFetch {
  fetch: typeof fetch;
  /** The stream that carried the server request with this id, if it came over SSE. */
  streamOf(id: RequestId): StreamLabel | undefined;
}

const idKey = (id: RequestId) => `${typeof id}:${id}`;

/** The client request a POST body carries (a single request; batches are not sent by the SDK). */
function postedRequest(body: unknown): { id: RequestId; method: string } | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const msg = JSON.parse(body) as { id?: unknown; method?: unknown };
    if ((typeof msg.id === "string" || typeof msg.id === "number") && typeof msg.method === "string")
      return { id: msg.id, method: msg.method };
  } catch {
    // not JSON: nothing to label
  }
  return undefined;
}

/** A pass-through that reads SSE events as they go by and reports each JSON-RPC request in them. */
function sseObserver(onRequest: (id: RequestId) => void): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let pending = "";
  const scan = (final: boolean) => {
    const blocks = pending.split(/\r?\n\r?\n/);
    pending = final ? "" : (blocks.pop() ?? "");
    for (const block of blocks) {
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n");
      if (!data) continue;
      try {
        const msg = JSON.parse(data) as { id?: unknown; method?: unknown };
        if ((typeof msg.id === "string" || typeof msg.id === "number") && typeof msg.method === "string")
          onRequest(msg.id);
      } catch {
        // not JSON-RPC: the SDK reports it
      }
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      scan(false);
      controller.enqueue(chunk);
    },
    flush() {
      pending += decoder.decode();
      scan(true);
    },
  });
}

export function observeSseStreams(inner: typeof fetch): ObservedFetch {
  const labels = new Map<string, StreamLabel>();
  const observed = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const response = await inner(input, init);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !response.body || !type.includes("text/event-stream")) return response;
    const method = (init?.method ?? "GET").toUpperCase();
    let label: StreamLabel | undefined;
    if (method === "GET") label = { kind: "get" };
    else {
      const posted = postedRequest(init?.body);
      if (posted) label = { kind: "post", requestId: posted.id, method: posted.method };
    }
    if (!label) return response;
    const stream = label;
    const body = response.body.pipeThrough(sseObserver((id) => labels.set(idKey(id), stream)));
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { fetch: observed as typeof fetch, streamOf: (id) => labels.get(idKey(id)) };
}

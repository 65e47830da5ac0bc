// Every server->client request on one connection (sampling/createMessage, elicitation/create,
// roots/list, ping...), with what was in flight when it arrived, the stream it came on (HTTP) and
// what the grader's client answered. Fed from the trace recorder's entries, which are written
// synchronously before the SDK client sees a message, so "in flight" is exact: a request that
// arrives in the same chunk as the tools/call result, but after it, is outside the call.
//
// Request association (what a check can conclude from a record):
// - Streamable HTTP: the request must arrive on the SSE stream answering the client request it
//   serves (2025-11-25 basic/transports, SEP-2260). The standalone GET stream is never associated.
// - stdio has one pipe and no per-request stream, and 2025-11-25 puts no related-request id on the
//   wire, so associated means: it arrived between that client request being sent and answered.
import type { TraceEntry } from "../result.ts";
import type { RequestId, StreamLabel } from "./http-streams.ts";

export interface ClientRequestRef {
  id: RequestId;
  method: string;
  params: Record<string, unknown> | undefined;
}

export interface ServerRequestRecord {
  id: RequestId;
  method: string;
  params: Record<string, unknown> | undefined;
  /** ms since the server was launched. */
  t: number;
  /** Client requests sent and not yet answered when it arrived, oldest first. */
  during: ClientRequestRef[];
  /** Streamable HTTP only: the stream it arrived on (undefined on stdio). */
  stream?: StreamLabel;
  /** What the grader's client answered, once it did. */
  answer?: { result: unknown } | { error: { code: number; message: string } };
}

/** Which client request a server request belongs to, or why it belongs to none. */
export type Association =
  | { associated: true; with: ClientRequestRef; how: "post-stream" | "in-flight" }
  | { associated: false; problem: string };

/** Methods whose handling may legitimately ask the client something (2025-11-25 / SEP-2260). */
const PARENT_METHODS = new Set(["tools/call", "resources/read", "prompts/get"]);

const key = (id: RequestId) => `${typeof id}:${id}`;
const isId = (v: unknown): v is RequestId => typeof v === "string" || typeof v === "number";
const paramsOf = (v: unknown) =>
  typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;

export class ServerRequestLog {
  private readonly inFlight = new Map<string, ClientRequestRef>();
  /** Every client request ever sent, to name the parent of a POST stream after it was answered. */
  private readonly sent = new Map<string, ClientRequestRef>();
  private readonly byId = new Map<string, ServerRequestRecord>();
  private readonly records: ServerRequestRecord[] = [];

  constructor(
    private readonly transport: "stdio" | "http",
    private readonly streamOf: (id: RequestId) => StreamLabel | undefined = () => undefined,
  ) {}

  /** Feed every trace entry of the connection, in order. */
  observe(entry: TraceEntry): void {
    if (!("msg" in entry)) return;
    const msg = entry.msg;
    const id = msg.id;
    const method = typeof msg.method === "string" ? msg.method : undefined;
    if (entry.dir === "c2s") {
      if (method && isId(id)) {
        const ref = { id, method, params: paramsOf(msg.params) };
        this.inFlight.set(key(id), ref);
        this.sent.set(key(id), ref);
      } else if (!method && isId(id)) {
        // The client's answer to a server request.
        const record = this.byId.get(key(id));
        if (record && !record.answer) {
          const error = paramsOf(msg.error);
          record.answer = error
            ? { error: { code: Number(error.code), message: String(error.message ?? "") } }
            : { result: msg.result };
        }
      }
      return;
    }
    if (method && isId(id)) {
      const stream = this.transport === "http" ? this.streamOf(id) : undefined;
      const record: ServerRequestRecord = {
        id,
        method,
        params: paramsOf(msg.params),
        t: entry.t,
        during: [...this.inFlight.values()],
        ...(stream ? { stream } : {}),
      };
      this.byId.set(key(id), record);
      this.records.push(record);
    } else if (!method && isId(id)) {
      this.inFlight.delete(key(id));
    }
  }

  /** How many records there are now: a mark to list only what came later. */
  mark(): number {
    return this.records.length;
  }

  since(mark = 0): ServerRequestRecord[] {
    return this.records.slice(mark);
  }

  associationOf(record: ServerRequestRecord): Association {
    if (this.transport === "http") {
      const stream = record.stream;
      if (!stream)
        return {
          associated: false,
          problem: "it did not arrive on any SSE stream the grader could attribute to a request",
        };
      if (stream.kind === "get")
        return {
          associated: false,
          problem:
            "it arrived on the standalone GET stream, not on the SSE stream of the request it serves (send it with that request's related-request id)",
        };
      const parent = this.sent.get(key(stream.requestId)) ?? {
        id: stream.requestId,
        method: stream.method,
        params: undefined,
      };
      if (!record.during.some((r) => key(r.id) === key(parent.id)))
        return {
          associated: false,
          problem: `it arrived on the stream of ${parent.method} after ${parent.method} had been answered`,
        };
      return { associated: true, with: parent, how: "post-stream" };
    }
    const parents = record.during.filter((r) => PARENT_METHODS.has(r.method));
    const parent = parents.at(-1) ?? record.during.at(-1);
    if (!parent)
      return {
        associated: false,
        problem:
          "it arrived while no request from the client was in flight (after the call it served had been answered?)",
      };
    return { associated: true, with: parent, how: "in-flight" };
  }
}

/** "elicitation/create (form: "Which priority?")" for messages. */
export function describeServerRequest(record: ServerRequestRecord): string {
  const p = record.params ?? {};
  if (record.method === "elicitation/create") {
    const mode = typeof p.mode === "string" ? p.mode : "form";
    return `elicitation/create (${mode}: ${JSON.stringify(String(p.message ?? "")).slice(0, 120)})`;
  }
  if (record.method === "sampling/createMessage") {
    const messages = Array.isArray(p.messages) ? p.messages.length : 0;
    return `sampling/createMessage (${messages} message${messages === 1 ? "" : "s"}, maxTokens ${String(p.maxTokens)})`;
  }
  return record.method;
}

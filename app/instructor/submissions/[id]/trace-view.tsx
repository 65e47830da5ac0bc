import type { TraceEntry } from "@/conformance/result.ts";

/** One line of a JSON-RPC message: a request/notification by method, a response by id and outcome. */
function summarize(entry: TraceEntry): string {
  if ("stdout" in entry) return entry.stdout;
  const msg = entry.msg;
  const id = msg.id === undefined ? "" : ` #${String(msg.id)}`;
  if (typeof msg.method === "string") {
    // Name what was called: tools/call add_note, resources/read notes://1, prompts/get summarize.
    const params = (msg.params ?? {}) as { name?: unknown; uri?: unknown };
    const target =
      typeof params.name === "string" ? params.name : typeof params.uri === "string" ? params.uri : "";
    return `${msg.method}${target ? ` ${target}` : ""}${id}`;
  }
  if (msg.error && typeof msg.error === "object") {
    const error = msg.error as { code?: unknown; message?: unknown };
    return `error${id}: ${String(error.code ?? "")} ${String(error.message ?? "")}`.trim();
  }
  return `result${id}`;
}

/** The JSON-RPC timeline of a grading run: time, direction, summary; the full message on demand. */
export function TraceView({ trace, truncated }: { trace: TraceEntry[]; truncated: boolean }) {
  if (trace.length === 0) return <p className="muted">No messages were exchanged.</p>;
  return (
    <>
      <ol className="gb-trace" data-testid="trace">
        {trace.map((entry, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the trace is an append-only list in time order
          <li key={index} data-kind={"stdout" in entry ? "stdout" : entry.dir}>
            {"msg" in entry ? (
              <details>
                <summary>
                  <span className="gb-t">{entry.t.toFixed(0)} ms</span>{" "}
                  {entry.dir === "c2s" ? "grader → server" : "server → grader"} {summarize(entry)}
                </summary>
                <pre>{JSON.stringify(entry.msg, null, 2)}</pre>
              </details>
            ) : (
              <>
                <span className="gb-t">{entry.t.toFixed(0)} ms</span> server stdout, not JSON-RPC:{" "}
                <code>{entry.stdout}</code>
              </>
            )}
          </li>
        ))}
      </ol>
      {truncated ? <p className="muted">The trace was truncated: later messages are not stored.</p> : null}
    </>
  );
}

"use client";
// The JSON-RPC timeline of a run: direction, method, time and latency, each payload expandable;
// stdout lines that are not JSON-RPC flagged (the classic stdio bug); and the server's stderr.
import { useMemo, useState } from "react";
import type { TraceEntry } from "@/conformance/result.ts";

type Row =
  | { kind: "noise"; key: number; t: number; text: string }
  | {
      kind: "message";
      /** Position in the trace: stable, entries are only ever appended. */
      key: number;
      t: number;
      dir: "c2s" | "s2c";
      label: string;
      detail: string;
      latencyMs: number | null;
      isError: boolean;
      msg: Record<string, unknown>;
    };

const PAYLOAD_CAP = 20_000;

export function timeline(trace: TraceEntry[]): Row[] {
  const requests = new Map<string, { method: string; t: number }>();
  const rows: Row[] = [];
  for (const [key, entry] of trace.entries()) {
    if ("stdout" in entry) {
      rows.push({ kind: "noise", key, t: entry.t, text: entry.stdout });
      continue;
    }
    const msg = entry.msg;
    const method = typeof msg.method === "string" ? msg.method : null;
    const id = msg.id === undefined || msg.id === null ? null : `${entry.dir}:${String(msg.id)}`;
    if (method && id !== null) {
      requests.set(id, { method, t: entry.t });
      rows.push({
        kind: "message",
        key,
        t: entry.t,
        dir: entry.dir,
        label: method,
        detail: `request #${String(msg.id)}`,
        latencyMs: null,
        isError: false,
        msg,
      });
    } else if (method) {
      rows.push({
        kind: "message",
        key,
        t: entry.t,
        dir: entry.dir,
        label: method,
        detail: "notification",
        latencyMs: null,
        isError: false,
        msg,
      });
    } else {
      // A response travels the other way from its request.
      const request = requests.get(`${entry.dir === "s2c" ? "c2s" : "s2c"}:${String(msg.id)}`);
      const isError = "error" in msg;
      rows.push({
        kind: "message",
        key,
        t: entry.t,
        dir: entry.dir,
        label: request ? request.method : "response",
        detail: `${isError ? "error" : "result"} #${String(msg.id)}`,
        latencyMs: request ? entry.t - request.t : null,
        isError,
        msg,
      });
    }
  }
  return rows;
}

function payload(msg: Record<string, unknown>): string {
  const text = JSON.stringify(msg, null, 2);
  return text.length > PAYLOAD_CAP
    ? `${text.slice(0, PAYLOAD_CAP)}\n… (${text.length - PAYLOAD_CAP} more characters)`
    : text;
}

export function TraceView({ trace, truncated }: { trace: TraceEntry[]; truncated: boolean }) {
  const [filter, setFilter] = useState("");
  const rows = useMemo(() => timeline(trace), [trace]);
  const shown = filter ? rows.filter((row) => row.kind === "noise" || row.label.includes(filter)) : rows;
  const noise = rows.filter((row) => row.kind === "noise").length;
  if (trace.length === 0)
    return <p className="muted">No messages yet. Run your code to see its JSON-RPC trace.</p>;
  return (
    <div className="trace" data-testid="trace">
      <p className="trace-tools">
        <label>
          Filter by method{" "}
          <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="tools/" />
        </label>{" "}
        <span className="muted">
          {rows.length} entries
          {noise ? ` · ${noise} stdout line${noise > 1 ? "s" : ""} that are not JSON-RPC` : ""}
        </span>
      </p>
      {noise ? (
        <p className="warning" data-testid="stdout-noise-warning">
          Your server wrote lines to stdout that are not JSON-RPC. On stdio, stdout is the protocol channel:
          log to stderr instead (Python: <code>logging</code> or <code>print(..., file=sys.stderr)</code>,
          TypeScript: <code>console.error</code>).
        </p>
      ) : null}
      <ol className="trace-list">
        {shown.map((row) =>
          row.kind === "noise" ? (
            <li key={row.key} className="trace-row noise" data-testid="trace-noise">
              <span className="trace-t">{row.t} ms</span> <span className="trace-dir">← stdout</span>{" "}
              <strong>not JSON-RPC:</strong> <code>{row.text}</code>
            </li>
          ) : (
            <li
              key={row.key}
              className={`trace-row ${row.dir}${row.isError ? " rpc-error" : ""}`}
              data-method={row.label}
            >
              <details>
                <summary>
                  <span className="trace-t">{row.t} ms</span>{" "}
                  <span
                    className="trace-dir"
                    title={row.dir === "c2s" ? "grader → your server" : "your server → grader"}
                  >
                    {row.dir === "c2s" ? "→" : "←"}
                  </span>{" "}
                  <span className="trace-method">{row.label}</span>{" "}
                  <span className="muted">{row.detail}</span>
                  {row.latencyMs !== null ? <span className="muted"> · {row.latencyMs} ms</span> : null}
                </summary>
                <pre>{payload(row.msg)}</pre>
              </details>
            </li>
          ),
        )}
      </ol>
      {truncated ? (
        <p className="warning">The trace was cut short here (too many or too large messages).</p>
      ) : null}
    </div>
  );
}

export function StderrView({
  stderr,
  truncated,
  outputKb,
}: {
  stderr: string;
  truncated: boolean;
  outputKb: number;
}) {
  if (!stderr && !truncated) return <p className="muted">Your server wrote nothing to stderr.</p>;
  return (
    <div data-testid="stderr">
      <pre className="stderr">{stderr}</pre>
      {truncated ? (
        <p className="warning" data-testid="stderr-truncated">
          output truncated at {outputKb} KB
        </p>
      ) : null}
    </div>
  );
}

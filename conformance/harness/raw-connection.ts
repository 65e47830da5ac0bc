// A second, unrecorded connection for probes that need a fresh `initialize` (e.g. asking for an
// unknown protocol version). stdio: another instance of the server; HTTP: a new session on the same server.
import { createInterface } from "node:readline";
import { McpRequestError } from "../check-expect.ts";
import type { ServerTarget } from "./server-target.ts";

export type RawAnswer =
  | { result: Record<string, unknown> }
  | { error: { code: number; message: string; data?: unknown } };

export interface RawConnection {
  /** Sends a request and returns the JSON-RPC answer as it came (result or error). */
  request(method: string, params?: Record<string, unknown>): Promise<RawAnswer>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

function asAnswer(method: string, params: unknown, value: unknown): RawAnswer {
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.result === "object" && v.result !== null)
      return { result: v.result as Record<string, unknown> };
    if (typeof v.error === "object" && v.error !== null) {
      const e = v.error as Record<string, unknown>;
      return { error: { code: Number(e.code), message: String(e.message ?? ""), data: e.data } };
    }
  }
  throw new McpRequestError(
    "invalid-answer",
    method,
    params,
    `The answer to ${method} is neither a result nor an error.`,
  );
}

/** A raw connection to `probe`, a second instance of the server (stopped by close()). */
export async function openStdioRawConnection(probe: ServerTarget, timeoutMs: number): Promise<RawConnection> {
  const { stdin, stdout } = probe;
  if (!stdin || !stdout) throw new Error("stdio probe without stdin/stdout");
  const pending = new Map<number, (value: unknown) => void>();
  let closed = false;
  const lines = createInterface({ input: stdout });
  lines.on("line", (line) => {
    try {
      const msg = JSON.parse(line) as { id?: unknown };
      if (typeof msg.id === "number") pending.get(msg.id)?.(msg);
    } catch {
      // noise on stdout is graded by the main connection's check, not here
    }
  });
  lines.on("close", () => {
    closed = true;
  });
  let nextId = 1;
  const write = (msg: object) =>
    new Promise<void>((resolve, reject) =>
      stdin.write(`${JSON.stringify(msg)}\n`, (e) => (e ? reject(e) : resolve())),
    );
  return {
    async request(method, params) {
      if (closed) throw new McpRequestError("closed", method, params, "The probe server's stdout is closed.");
      const id = nextId++;
      const answer = new Promise<unknown>((resolve, reject) => {
        pending.set(id, resolve);
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new McpRequestError(
              "timeout",
              method,
              params,
              `No answer to ${method} within ${timeoutMs / 1000} s.`,
            ),
          );
        }, timeoutMs);
        void probe.exited.then(() => {
          clearTimeout(timer);
          reject(
            new McpRequestError("closed", method, params, `The server exited before answering ${method}.`),
          );
        });
        pending.set(id, (v) => {
          clearTimeout(timer);
          resolve(v);
        });
      });
      await write({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
      return asAnswer(method, params, await answer);
    },
    async notify(method, params) {
      await write({ jsonrpc: "2.0", method, ...(params ? { params } : {}) });
    },
    async close() {
      lines.close();
      await probe.stop();
    },
  };
}

/** Reads a JSON-RPC message from a response body that is JSON or an SSE stream (first `data:` event). */
export async function readJsonRpcBody(res: Response): Promise<unknown> {
  const type = res.headers.get("content-type") ?? "";
  const text = await res.text();
  if (type.includes("text/event-stream")) {
    for (const block of text.split(/\r?\n\r?\n/)) {
      const data = block
        .split(/\r?\n/)
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      if (!data) continue;
      try {
        const msg = JSON.parse(data) as Record<string, unknown>;
        if ("result" in msg || "error" in msg) return msg;
      } catch {
        // not JSON: keep looking
      }
    }
    return undefined;
  }
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export const MCP_ACCEPT = "application/json, text/event-stream";

export function openHttpRawConnection(
  target: ServerTarget,
  timeoutMs: number,
  protocolVersion = "2025-11-25",
): RawConnection {
  const http = target.http;
  if (!http) throw new Error("http probe without an endpoint");
  let sessionId: string | undefined;
  let nextId = 1;
  const post = async (body: object, method: string, params: unknown): Promise<Response> => {
    const headers: Record<string, string> = {
      ...http.headers,
      "content-type": "application/json",
      accept: MCP_ACCEPT,
    };
    if (sessionId) {
      headers["mcp-session-id"] = sessionId;
      headers["mcp-protocol-version"] = protocolVersion;
    }
    try {
      return await http.fetch(http.url, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error).name === "TimeoutError";
      throw new McpRequestError(
        timedOut ? "timeout" : "closed",
        method,
        params,
        timedOut
          ? `No answer to ${method} within ${timeoutMs / 1000} s.`
          : `The HTTP request failed: ${(err as Error).message}`,
      );
    }
  };
  return {
    async request(method, params) {
      const res = await post(
        { jsonrpc: "2.0", id: nextId++, method, ...(params ? { params } : {}) },
        method,
        params,
      );
      if (method === "initialize") {
        sessionId = res.headers.get("mcp-session-id") ?? undefined;
        const result = (await readJsonRpcBody(res)) as { result?: { protocolVersion?: unknown } } | undefined;
        if (typeof result?.result?.protocolVersion === "string")
          protocolVersion = result.result.protocolVersion;
        return asAnswer(method, params, result);
      }
      if (!res.ok) {
        throw new McpRequestError("invalid-answer", method, params, `HTTP ${res.status} for ${method}.`);
      }
      return asAnswer(method, params, await readJsonRpcBody(res));
    },
    async notify(method, params) {
      await post({ jsonrpc: "2.0", method, ...(params ? { params } : {}) }, method, params);
    },
    async close() {
      if (!sessionId) return;
      await http
        .fetch(http.url, {
          method: "DELETE",
          headers: { ...http.headers, "mcp-session-id": sessionId, "mcp-protocol-version": protocolVersion },
        })
        .then((r) => r.body?.cancel())
        .catch(() => undefined);
    },
  };
}

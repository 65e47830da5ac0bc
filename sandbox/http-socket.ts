// Speaking HTTP to a sandboxed server through its unix socket (RunningServer.httpSocketPath).
// A fetch-compatible function, so it plugs into the SDK's StreamableHTTPClientTransport({ fetch }).
import http from "node:http";
import { Readable } from "node:stream";
import type { RunningServer } from "./types.ts";

/**
 * A `fetch` that sends every request to `socketPath` whatever the URL's host; the URL still
 * sets the path and the Host header (use http://127.0.0.1:<httpPort>/mcp for SDK servers that
 * check Host). Response bodies stream (SSE works); request bodies are buffered.
 */
export function createSocketFetch(socketPath: string): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = { host: url.host };
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    if (body) headers["content-length"] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const req = http.request(
        {
          socketPath,
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers,
          signal: request.signal,
        },
        (res) => {
          // The server is untrusted: a status or header that Response refuses (e.g. status 999)
          // must become a rejected fetch, never an exception thrown in this callback.
          try {
            const out = new Headers();
            for (const [key, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const v of Array.isArray(value) ? value : [value]) out.append(key, v);
            }
            const status = res.statusCode ?? 502;
            const noBody = request.method === "HEAD" || status === 204 || status === 304;
            const stream = noBody ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
            resolve(new Response(stream, { status, statusText: res.statusMessage, headers: out }));
            if (noBody) res.resume();
          } catch (err) {
            res.destroy();
            reject(new TypeError(`invalid HTTP response from the server: ${(err as Error).message}`));
          }
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  };
}

export type HttpReadiness =
  | { ready: true; elapsedMs: number }
  | { ready: false; reason: "exited" | "timeout"; elapsedMs: number };

/** One request over the socket; resolves true on any HTTP response (even 404/421: it listens). */
function answers(socketPath: string, port: number | undefined, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        socketPath,
        method: "GET",
        path: "/",
        headers: { host: `127.0.0.1${port ? `:${port}` : ""}`, connection: "close" },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/**
 * Waits until the server answers HTTP through the relay, the server exits, or `timeoutMs` passes.
 * Polls with a short backoff: the relay accepts before the server listens and then drops the
 * connection, which is how "not yet" looks from outside.
 */
export async function waitForHttpReady(server: RunningServer, timeoutMs: number): Promise<HttpReadiness> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const socketPath = server.httpSocketPath;
  if (!socketPath) return { ready: false, reason: "exited", elapsedMs: 0 };
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  let delay = 10;
  while (elapsed() < timeoutMs) {
    if (exited) return { ready: false, reason: "exited", elapsedMs: elapsed() };
    const attemptMs = Math.max(50, Math.min(2000, timeoutMs - elapsed()));
    if (await answers(socketPath, server.httpPort, attemptMs)) return { ready: true, elapsedMs: elapsed() };
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, timeoutMs - elapsed()))));
    delay = Math.min(delay * 2, 100);
  }
  return exited
    ? { ready: false, reason: "exited", elapsedMs: elapsed() }
    : { ready: false, reason: "timeout", elapsedMs: elapsed() };
}

// Hello service over Streamable HTTP: the reference solution of the `streamable-http` lab (TypeScript).
//
// The official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) and zod, on node:http. Node 24
// runs this file directly (type stripping), so it sticks to erasable TypeScript.
//
// The SDK's StreamableHTTPServerTransport speaks the protocol of one session (Accept -> 406,
// MCP-Protocol-Version -> 400, DELETE ends the session). The rest is yours and is in this file:
// Host and Origin checks, routing each request to its session's transport, a fresh McpServer (and
// so fresh state) per session, progress, and stopping work on cancellation.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ErrorCode, isInitializeRequest, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const PORT = Number(process.env.PORT ?? 8000);
// DNS-rebinding protection: a browser page on another site may reach 127.0.0.1, but it cannot
// forge Host or Origin. Allow our own, refuse the rest with 403.
const ALLOWED_HOSTS = new Set([`127.0.0.1:${PORT}`, `localhost:${PORT}`]);
const ALLOWED_ORIGINS = new Set([`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`]);
const MAX_BODY_BYTES = 1024 * 1024;

const log = (message: string): void => {
  console.error(`${new Date().toISOString()} hello-http ${message}`);
};

interface SentGreeting {
  [key: string]: unknown;
  id: string;
  to: string;
  message: string;
  replayed: boolean;
}

interface Job {
  job: string;
  n: number;
  ticks: number;
  state: "running" | "done" | "cancelled";
}

// Jobs are addressed by their handle (the `job` argument), not by session: any client holding the
// handle may look at jobs://{job}.
const jobs = new Map<string, Job>();
let nextGreeting = 1;

const reply = <T extends Record<string, unknown>>(data: T) => ({
  content: [{ type: "text" as const, text: JSON.stringify(data) }],
  structuredContent: data,
});

/** Resolves after `ms`; rejects as soon as `signal` aborts (the client cancelled the request). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

const SentGreetingShape = {
  id: z.string(),
  to: z.string(),
  message: z.string(),
  replayed: z.boolean().describe("True when this idempotency_key was seen before and nothing new was sent."),
};

/** One McpServer per session: everything created in here belongs to that session only. */
function buildServer(): McpServer {
  const outbox: SentGreeting[] = [];
  // idempotency_key -> what it was first used for, and the greeting it produced
  const keys = new Map<string, { fingerprint: string; greeting: SentGreeting }>();

  const server = new McpServer(
    { name: "hello-http", version: "1.0.0" },
    {
      instructions:
        "Say hello with greet, send greetings with send_greeting (retry with the same idempotency_key), " +
        "list this session's greetings with outbox, and run slow_count for a long, cancellable job whose " +
        "progress is at jobs://{job}.",
    },
  );

  server.registerTool(
    "greet",
    {
      description: "Say hello to someone. Use this when the user wants a greeting; it stores nothing.",
      inputSchema: { name: z.string().min(1).max(100).describe("Who to greet.") },
      outputSchema: { greeting: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ name }) => reply({ greeting: `Hello, ${name}!` }),
  );

  server.registerTool(
    "send_greeting",
    {
      description:
        "Send a greeting and keep it in this session's outbox. Use this when the user asks to send a greeting. " +
        "Safe to retry: the same idempotency_key returns the first greeting (replayed: true) instead of sending twice.",
      inputSchema: {
        to: z.string().min(1).max(100).describe("Who receives the greeting."),
        message: z.string().min(1).max(500).describe("The greeting's text."),
        idempotency_key: z
          .string()
          .min(8)
          .max(64)
          .describe(
            "Generate once per intended greeting and reuse it on every retry of that greeting. A new key sends a new greeting.",
          ),
      },
      outputSchema: SentGreetingShape,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    ({ to, message, idempotency_key }) => {
      const fingerprint = JSON.stringify([to, message]);
      const seen = keys.get(idempotency_key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return {
            content: [
              {
                type: "text" as const,
                text: `idempotency_key ${idempotency_key} was already used for a greeting to ${seen.greeting.to}. Use a new key for a different greeting.`,
              },
            ],
            isError: true,
          };
        }
        return reply({ ...seen.greeting, replayed: true });
      }
      const greeting: SentGreeting = { id: `g-${nextGreeting++}`, to, message, replayed: false };
      keys.set(idempotency_key, { fingerprint, greeting });
      outbox.push(greeting);
      return reply(greeting);
    },
  );

  server.registerTool(
    "outbox",
    {
      description:
        "List the greetings sent in this session, oldest first. Use this to check what was already sent.",
      outputSchema: { greetings: z.array(z.object(SentGreetingShape)) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () => reply({ greetings: [...outbox] }),
  );

  server.registerTool(
    "slow_count",
    {
      description:
        "Count from 1 to n, one tick every delay_ms. Use this to try long-running calls. Reports progress after " +
        "every tick when the request carries a progressToken, and stops when cancelled.",
      inputSchema: {
        job: z.string().min(1).max(64).describe("A handle for this job; read jobs://{job} to follow it."),
        n: z.number().int().min(1).max(1000).describe("How far to count."),
        delay_ms: z.number().int().min(1).max(1000).default(100).describe("Milliseconds per tick."),
      },
      outputSchema: { job: z.string(), counted: z.number().int() },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async ({ job, n, delay_ms }, extra) => {
      const record: Job = { job, n, ticks: 0, state: "running" };
      jobs.set(job, record);
      const progressToken = extra._meta?.progressToken;
      try {
        for (let tick = 1; tick <= n; tick++) {
          // extra.signal aborts when notifications/cancelled arrives for this request.
          await sleep(delay_ms, extra.signal);
          record.ticks = tick;
          if (progressToken !== undefined) {
            await extra.sendNotification({
              method: "notifications/progress",
              params: { progressToken, progress: tick, total: n, message: `tick ${tick}/${n}` },
            });
          }
        }
      } catch (error) {
        if (extra.signal.aborted) {
          record.state = "cancelled";
          log(`job ${job} cancelled after ${record.ticks} ticks`);
        }
        throw error;
      }
      record.state = "done";
      return reply({ job, counted: n });
    },
  );

  server.registerResource(
    "job",
    new ResourceTemplate("jobs://{job}", { list: undefined }),
    {
      description: "A slow_count job: how far it got (ticks) and whether it is running, done or cancelled.",
      mimeType: "application/json",
    },
    (uri, { job }) => {
      const record = jobs.get(String(job));
      if (!record) {
        throw new McpError(ErrorCode.InvalidParams, `No job '${job}'. Start one with slow_count(job=...).`);
      }
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(record) }] };
    },
  );

  return server;
}

// Mcp-Session-Id -> that session's transport (and, through it, its McpServer).
const sessions = new Map<string, StreamableHTTPServerTransport>();

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function readJson(req: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (new URL(req.url ?? "/", "http://localhost").pathname !== "/mcp") return refuse(res, 404, "Not found");
  if (!ALLOWED_HOSTS.has(req.headers.host ?? "")) return refuse(res, 403, "Forbidden: unexpected Host");
  const origin = req.headers.origin;
  if (origin !== undefined && !ALLOWED_ORIGINS.has(origin))
    return refuse(res, 403, "Forbidden: foreign Origin");

  let body: unknown;
  if (req.method === "POST") {
    const parsed = await readJson(req);
    if (!parsed.ok) return refuse(res, 400, "Parse error: the body is not JSON (or is over 1 MB)");
    body = parsed.value;
  }

  const sessionId = req.headers["mcp-session-id"];
  if (typeof sessionId === "string") {
    const transport = sessions.get(sessionId);
    // Unknown or ended (DELETE) session: the client must initialize again.
    if (!transport) return refuse(res, 404, "Session not found");
    return transport.handleRequest(req, res, body);
  }
  if (req.method !== "POST" || !isInitializeRequest(body)) {
    return refuse(res, 400, "Bad Request: send initialize first, then the Mcp-Session-Id it returns");
  }
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
      log(`session ${id} opened`);
    },
  });
  // DELETE (or a failure) closes the transport: forget the session and its state.
  transport.onclose = () => {
    if (transport.sessionId && sessions.delete(transport.sessionId))
      log(`session ${transport.sessionId} closed`);
  };
  await buildServer().connect(transport);
  await transport.handleRequest(req, res, body);
}

http
  .createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).message}`);
      if (!res.headersSent) refuse(res, 500, "Internal error");
    });
  })
  // 127.0.0.1 only: never every interface for a local server.
  .listen(PORT, "127.0.0.1", () => log(`listening on http://127.0.0.1:${PORT}/mcp`));

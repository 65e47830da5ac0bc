// Inventory: the reference solution of the `resilience-observability` lab (TypeScript).
//
// One tool, get_stock, over an inventory API that is slow, hangs, answers 503 in bursts or sends
// garbage. The official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2), zod, and Node's
// global fetch. Node 24 runs this file directly (type stripping), so it sticks to erasable
// TypeScript.
//
// - every upstream attempt has its own timeout, and the whole call fits a 2.5 s budget;
// - transient failures (timeouts, connection errors, 429/502/503/504) are retried, at most 3
//   attempts, with exponential backoff and "equal jitter"; client errors (4xx) never are;
// - a circuit breaker fails fast after 3 consecutive failed calls and lets a trial call through
//   after a 1 s cool-down;
// - errors tell the model what happened and what to do, with a reference id, never internals;
// - one JSON line per tool call on stderr (correlation id, tool, outcome, duration), and the
//   counters as the resource metrics://v1/tools.
//
// stdout carries the JSON-RPC protocol and nothing else: every log line goes to stderr.
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const UPSTREAM_URL = (process.env.UPSTREAM_URL ?? "http://127.0.0.1:9100").replace(/\/$/, "");
const UPSTREAM_TOKEN = process.env.UPSTREAM_TOKEN ?? "";

const ATTEMPT_TIMEOUT_MS = 500; // per upstream request: the inventory API answers in well under 300 ms when healthy
const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 100; // waits 50-100 ms, then 100-200 ms
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);
const BREAKER_THRESHOLD = 3; // consecutive failed calls
const BREAKER_COOLDOWN_MS = 1000;

// --- logs: one JSON object per line on stderr -----------------------------------------------------

function log(level: "info" | "warning" | "error", msg: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(
    `${JSON.stringify({ ts: Date.now() / 1000, level, logger: "inventory", msg, ...fields })}\n`,
  );
}

// --- metrics --------------------------------------------------------------------------------------

const calls = new Map<string, number>();
const errors = new Map<string, number>();
let upstreamRequests = 0;

// --- the upstream client: timeout, retries, breaker --------------------------------------------------

const Stock = z.object({
  sku: z.string(),
  available: z.number().int().min(0).describe("Units available to promise."),
  warehouse: z.string().describe("Warehouse holding the stock, e.g. ams-1."),
});
type Stock = z.infer<typeof Stock>;

/** The inventory API failed in a way that may pass: worth a retry later. */
class UpstreamUnavailable extends Error {}
/** The inventory API refused the request (4xx): retrying will not help. */
class UpstreamRejected extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`upstream answered ${status}`);
    this.status = status;
  }
}
/** The inventory API answered something that is not stock. Not transient: no retry. */
class UpstreamInvalid extends Error {}

/** Opens after `threshold` consecutive failed calls; after `cooldownMs` lets one trial call through. */
function circuitBreaker(threshold: number, cooldownMs: number) {
  let failures = 0;
  let openedAt: number | undefined;
  let trialRunning = false;
  const state = (): "closed" | "open" | "half_open" => {
    if (openedAt === undefined) return "closed";
    return performance.now() - openedAt >= cooldownMs ? "half_open" : "open";
  };
  return {
    state,
    /** 0 if the call may go ahead, else the ms until the next trial. */
    admit(): number {
      const now = state();
      if (now === "open" || (now === "half_open" && trialRunning)) {
        return Math.max((openedAt ?? 0) + cooldownMs - performance.now(), 100);
      }
      trialRunning = now === "half_open";
      return 0;
    },
    /** The call was cancelled by the client: it proves nothing about the upstream. */
    abandon(): void {
      trialRunning = false;
    },
    record(ok: boolean): void {
      trialRunning = false;
      if (ok) {
        failures = 0;
        openedAt = undefined;
        return;
      }
      failures += 1;
      if (openedAt !== undefined || failures >= threshold) {
        openedAt = performance.now(); // open, or open again after a failed trial
        log("warning", "circuit opened", { failures });
      }
    },
  };
}

const breaker = circuitBreaker(BREAKER_THRESHOLD, BREAKER_COOLDOWN_MS);

async function fetchOnce(sku: string, correlationId: string, cancel: AbortSignal): Promise<Stock> {
  upstreamRequests += 1;
  // One deadline for the whole exchange (headers and body), and the client's cancellation too.
  const signal = AbortSignal.any([cancel, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]);
  let response: Response;
  let body: string;
  try {
    response = await fetch(`${UPSTREAM_URL}/v1/stock/${encodeURIComponent(sku)}`, {
      headers: { authorization: `Bearer ${UPSTREAM_TOKEN}`, "x-correlation-id": correlationId },
      signal,
    });
    body = await response.text();
  } catch (error) {
    if (cancel.aborted) throw error;
    const why =
      error instanceof DOMException && error.name === "TimeoutError"
        ? "no answer in time"
        : "connection failed";
    throw new UpstreamUnavailable(why);
  }
  if (TRANSIENT_STATUS.has(response.status) || response.status >= 500) {
    throw new UpstreamUnavailable(`upstream answered ${response.status}`);
  }
  if (response.status >= 400) throw new UpstreamRejected(response.status);
  try {
    return Stock.parse(JSON.parse(body));
  } catch {
    throw new UpstreamInvalid("the inventory API sent an answer that is not valid stock JSON");
  }
}

async function fetchWithRetries(sku: string, correlationId: string, cancel: AbortSignal): Promise<Stock> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(sku, correlationId, cancel);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable) || attempt === MAX_ATTEMPTS) throw error;
      const base = BACKOFF_BASE_MS * 2 ** (attempt - 1);
      const delay = base / 2 + Math.random() * (base / 2); // equal jitter: never 0, never in lockstep
      log("warning", "upstream attempt failed", {
        correlation_id: correlationId,
        attempt,
        error: error.message,
        retry_in_ms: Math.round(delay),
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

// --- the MCP layer ------------------------------------------------------------------------------------

function toolError(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

async function getStock(sku: string, correlationId: string, cancel: AbortSignal): Promise<CallToolResult> {
  const ref = `(ref ${correlationId})`;
  const waitMs = breaker.admit();
  if (waitMs > 0) {
    return toolError(
      `The inventory service is unavailable (it failed repeatedly); not trying it for now. Retry in ${(waitMs / 1000).toFixed(1)} s. ${ref}`,
    );
  }
  try {
    const stock = await fetchWithRetries(sku, correlationId, cancel);
    breaker.record(true);
    return { content: [{ type: "text", text: JSON.stringify(stock) }], structuredContent: stock };
  } catch (error) {
    if (cancel.aborted) {
      breaker.abandon();
      return toolError("The call was cancelled.");
    }
    if (error instanceof UpstreamRejected) {
      breaker.record(true); // the API is up; it refused this request
      if (error.status === 404)
        return toolError(`No product with SKU ${sku}. Check the SKU (format AB-1234). ${ref}`);
      log("error", "upstream refused the request", { correlation_id: correlationId, status: error.status });
      return toolError(
        `The inventory service refused the request (status ${error.status}); retrying will not help. Report ${ref} to the operators.`,
      );
    }
    breaker.record(false);
    if (error instanceof UpstreamUnavailable) {
      log("error", "upstream unavailable after retries", {
        correlation_id: correlationId,
        error: error.message,
      });
      return toolError(
        `The inventory service did not answer in time or is unavailable (tried ${MAX_ATTEMPTS} times). Retry in a few seconds. ${ref}`,
      );
    }
    if (error instanceof UpstreamInvalid) {
      log("error", "invalid upstream answer", { correlation_id: correlationId });
      return toolError(`The inventory service sent an invalid answer. Retry in a few seconds. ${ref}`);
    }
    // Anything else is our bug: the stack goes to the log, a reference to the user.
    log("error", "get_stock crashed", {
      correlation_id: correlationId,
      stack: (error as Error).stack ?? String(error),
    });
    return toolError(`get_stock failed unexpectedly. Retry later; report ${ref} if it persists.`);
  }
}

/** Wraps a tool handler: a correlation id per call, one access line and the counters, whatever happens. */
function observed<A>(
  tool: string,
  handler: (args: A, correlationId: string, cancel: AbortSignal) => Promise<CallToolResult>,
) {
  return async (args: A, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
    const correlationId = randomUUID().replaceAll("-", "");
    const started = performance.now();
    let outcome = "crash";
    try {
      const result = await handler(args, correlationId, extra.signal);
      outcome = result.isError ? "error" : "ok";
      return result;
    } finally {
      calls.set(tool, (calls.get(tool) ?? 0) + 1);
      if (outcome !== "ok") errors.set(tool, (errors.get(tool) ?? 0) + 1);
      const duration_ms = Math.round((performance.now() - started) * 10) / 10;
      log("info", "tools/call", { correlation_id: correlationId, tool, outcome, duration_ms });
    }
  };
}

const server = new McpServer(
  { name: "inventory", version: "1.0.0" },
  {
    instructions:
      "get_stock answers how many units of a SKU are available. Counters are at metrics://v1/tools.",
  },
);

server.registerTool(
  "get_stock",
  {
    description:
      "How many units of a product are available, and in which warehouse. Use this when the user asks whether " +
      "an item is in stock or how many can be promised.",
    inputSchema: {
      sku: z
        .string()
        .regex(/^[A-Z]{2}-\d{4}$/)
        .describe("Stock keeping unit, e.g. KT-0042."),
    },
    outputSchema: Stock.shape,
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  observed("get_stock", ({ sku }: { sku: string }, correlationId, cancel) =>
    getStock(sku, correlationId, cancel),
  ),
);

server.registerResource(
  "tool-metrics",
  "metrics://v1/tools",
  {
    description: "Per-tool call and error counters, upstream requests and the circuit breaker's state.",
    mimeType: "application/json",
  },
  (uri) => {
    const tools: Record<string, { calls: number; errors: number }> = { get_stock: { calls: 0, errors: 0 } };
    for (const [name, n] of calls) tools[name] = { calls: n, errors: errors.get(name) ?? 0 };
    const metrics = { tools, upstream: { requests: upstreamRequests, breaker_state: breaker.state() } };
    return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(metrics) }] };
  },
);

await server.connect(new StdioServerTransport());
log("info", "inventory server running on stdio", { upstream: UPSTREAM_URL });

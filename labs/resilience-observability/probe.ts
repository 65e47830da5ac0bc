// How the checks drive get_stock and read what came back: timed calls against a scripted
// upstream, the hits each call caused, leak detection, access-log lines and the metrics resource.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CheckContext } from "../../conformance/check-api.ts";
import {
  CheckFailure,
  isMcpRequestError,
  type McpRequestError,
  textOf,
} from "../../conformance/check-api.ts";
import type { LabState } from "./environment.ts";
import { type Fault, type Hit, LEAK_MARKERS, type Stock } from "./upstream.ts";

/** Every get_stock call answers within this, whatever the upstream does (README: the budget). */
export const BUDGET_MS = 2500;
/** How long past the budget a call may still come back before it counts as never answered. */
const GRACE_MS = 500;
export const MAX_ATTEMPTS = 3;
/** A call stuck this many times means the server no longer serves: later calls are not tried. */
const STUCK_AFTER = 3;
export const METRICS_URI = "metrics://v1/tools";

export function labState(ctx: CheckContext): LabState {
  return ctx.environment as LabState;
}

/** A SKU no other call of this run used, drawn from the check's seeded stream. */
export function freshSku(ctx: CheckContext): string {
  const state = labState(ctx);
  for (;;) {
    const letters = String.fromCharCode(65 + ctx.random.int(0, 25), 65 + ctx.random.int(0, 25));
    const sku = `${letters}-${String(ctx.random.int(0, 9999)).padStart(4, "0")}`;
    if (!state.usedSkus.has(sku)) {
      state.usedSkus.add(sku);
      return sku;
    }
  }
}

export interface StockCall {
  sku: string;
  /** What the upstream was told to do, in words, for messages. */
  scenario: string;
  /** The result; null when the server did not answer in time or answered with a JSON-RPC error. */
  result: CallToolResult | null;
  rpcError?: McpRequestError;
  /** ms from sending the call to its answer (or to giving up on it). */
  ms: number;
  /** The upstream requests this call caused (its SKU is its own). */
  hits: Hit[];
  /** The error text (result text or JSON-RPC message); "" for a success. */
  text: string;
  answered: boolean;
}

export interface Scenario {
  /** Faults for the first requests, in order. */
  faults?: Fault[];
  /** What every later request gets (default: a healthy answer). */
  steady?: Fault;
  /** Words for messages, e.g. "503, 503, then 200". */
  says: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Calls get_stock for a fresh scripted SKU and waits at most the budget (plus grace) for its answer. */
export async function callStock(
  ctx: CheckContext,
  scenario: Scenario,
  sku = freshSku(ctx),
): Promise<StockCall> {
  const state = labState(ctx);
  if (state.unanswered.length >= STUCK_AFTER) {
    const where = state.unanswered.map((u) => `${u.check} (${u.scenario})`).join("; ");
    throw new CheckFailure(
      `Not tried: ${state.unanswered.length} earlier get_stock calls never answered (${where}). The server is stuck in them, so this check cannot judge anything.`,
      { hint: "Fix the first failing check: every call must end within the 2.5 s budget." },
    );
  }
  state.upstream.script(sku, scenario.faults ?? [], scenario.steady ?? { kind: "ok" });
  const started = performance.now();
  const pending = ctx.callTool("get_stock", { sku });
  // The answer may come after we stop waiting; it must not become an unhandled rejection.
  pending.catch(() => undefined);
  const outcome = await Promise.race([
    pending.then(
      (result) => ({ kind: "result" as const, result }),
      (err: unknown) => ({ kind: "error" as const, err }),
    ),
    sleep(BUDGET_MS + GRACE_MS).then(() => ({ kind: "late" as const })),
  ]);
  const ms = Math.round(performance.now() - started);
  const hits = state.upstream.hits(sku);
  const call: StockCall = { sku, scenario: scenario.says, result: null, ms, hits, text: "", answered: false };
  if (outcome.kind === "late") {
    state.unanswered.push({ check: currentCheck(ctx), sku, scenario: scenario.says });
    return call;
  }
  call.answered = true;
  if (outcome.kind === "error") {
    if (!isMcpRequestError(outcome.err) || outcome.err.kind !== "rpc-error") throw outcome.err;
    call.rpcError = outcome.err;
    call.text = outcome.err.message;
    state.errorsSeen.push({ check: currentCheck(ctx), scenario: scenario.says, body: outcome.err.message });
    return call;
  }
  call.result = outcome.result;
  if (outcome.result.isError === true) {
    call.text = textOf(outcome.result);
    state.errorsSeen.push({
      check: currentCheck(ctx),
      scenario: scenario.says,
      body: JSON.stringify(outcome.result),
    });
  }
  return call;
}

// The context does not carry the check's id; checks.ts tags each context (tagContext) so that
// messages about earlier calls can say which check made them.
const checkIds = new WeakMap<CheckContext, string>();
export function tagContext(ctx: CheckContext, checkId: string): CheckContext {
  checkIds.set(ctx, checkId);
  return ctx;
}
function currentCheck(ctx: CheckContext): string {
  return checkIds.get(ctx) ?? "a check";
}

/** "503, 503, ok" — what the upstream answered to a call's requests. */
export function answers(hits: Hit[]): string {
  if (hits.length === 0) return "no request";
  const shown = hits
    .slice(0, 6)
    .map((h) => (h.answer === "rate-limited" ? "429 (rate limited)" : String(h.answer)));
  return `${hits.length} request${hits.length === 1 ? "" : "s"}: ${shown.join(", ")}${hits.length > 6 ? ", ..." : ""}`;
}

/** Fails unless the call came back at all (result or JSON-RPC error) within the budget. */
export function expectAnswered(call: StockCall): void {
  const set = `the upstream was set to answer ${call.scenario}`;
  if (call.answered) {
    if (call.ms > BUDGET_MS) {
      throw new CheckFailure(
        `get_stock for ${call.sku} answered after ${(call.ms / 1000).toFixed(1)} s; the budget is ${BUDGET_MS / 1000} s (${set}).`,
        {
          expected: `an answer within ${BUDGET_MS / 1000} s`,
          actual: `${(call.ms / 1000).toFixed(1)} s; the upstream received ${answers(call.hits)}`,
          hint: "Bound each attempt (about 0.5 s) and the whole retry loop so the worst case fits the budget.",
        },
      );
    }
    return;
  }
  const limited = call.hits.filter((h) => h.answer === "rate-limited").length;
  throw new CheckFailure(
    `get_stock for ${call.sku} did not answer within ${(BUDGET_MS + GRACE_MS) / 1000} s (${set}); meanwhile the upstream received ${answers(call.hits)}${limited ? `, ${limited} of them refused as over its rate limit` : ""}.`,
    {
      expected: `a result (isError: true when the upstream fails) within ${BUDGET_MS / 1000} s`,
      actual: "no answer",
      hint:
        call.hits.length > MAX_ATTEMPTS
          ? "The server keeps calling the upstream: bound the retries (3 attempts) and wait between them."
          : "Put a timeout on every upstream request (about 0.5 s) and bound the retries, so a hung upstream costs at most the budget.",
    },
  );
}

/**
 * Fails unless the call ended as a tool execution error (isError: true) and returns its text.
 * `why` says why an error was due; by default, the upstream's script.
 */
export function expectToolError(
  call: StockCall,
  why = `the upstream was set to answer ${call.scenario}`,
): string {
  expectAnswered(call);
  if (call.rpcError) {
    throw new CheckFailure(
      `get_stock for ${call.sku} answered with JSON-RPC error ${call.rpcError.code} (${why}): ${call.rpcError.message}`,
      {
        expected:
          "a tool result with isError: true (an upstream failure is a tool execution error, not a protocol error)",
        actual: { code: call.rpcError.code, message: call.rpcError.message },
        hint: "Python: raise ToolError(...); TypeScript: return { content: [...], isError: true }.",
      },
    );
  }
  if (call.result?.isError !== true) {
    throw new CheckFailure(
      `get_stock for ${call.sku} returned a success although ${why}; the upstream received ${answers(call.hits)}.`,
      { expected: "isError: true with a message saying what went wrong", actual: call.result },
    );
  }
  return call.text;
}

const StockSchema = z.looseObject({ sku: z.string(), available: z.number(), warehouse: z.string() });

/** Fails unless the call succeeded with the stock the upstream holds for its SKU. */
export function expectStock(call: StockCall, expected: Stock): void {
  expectAnswered(call);
  if (call.rpcError || call.result?.isError === true || call.result === null) {
    throw new CheckFailure(
      `get_stock for ${call.sku} failed. The upstream was set to answer ${call.scenario} and received ${answers(call.hits)}. The error: "${call.text.slice(0, 300)}"`,
      {
        expected: { stock: expected, upstream: call.scenario },
        actual: { result: call.result ?? call.text, upstream: answers(call.hits) },
      },
    );
  }
  const got = stockOf(call.result);
  if (
    !got ||
    got.sku !== expected.sku ||
    got.available !== expected.available ||
    got.warehouse !== expected.warehouse
  ) {
    throw new CheckFailure(
      `get_stock for ${call.sku} returned other stock than the upstream sent (it was set to answer ${call.scenario}).`,
      {
        expected: expected,
        actual: call.result,
        hint: "Return the upstream's sku, available and warehouse as structuredContent (declare an outputSchema) or as JSON text.",
      },
    );
  }
}

function stockOf(result: CallToolResult): z.infer<typeof StockSchema> | undefined {
  const structured = StockSchema.safeParse(result.structuredContent);
  if (structured.success) return structured.data;
  try {
    const parsed = StockSchema.safeParse(JSON.parse(textOf(result)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Fails unless the upstream saw exactly `n` requests (or between min and max) for the call. */
export function expectHits(
  call: StockCall,
  range: { min: number; max: number },
  why: string,
  hint: string,
): void {
  const n = call.hits.length;
  if (n >= range.min && n <= range.max) return;
  const expected = range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
  throw new CheckFailure(
    `${why}: the upstream received ${answers(call.hits)} for ${call.sku} (expected ${expected}).`,
    {
      expected: `${expected} request${range.max === 1 ? "" : "s"} (${call.scenario})`,
      actual: answers(call.hits),
      hint,
    },
  );
}

/** What a failure text should tell a model: what broke, and what to do about it. */
export function notActionable(text: string): string | undefined {
  if (!/inventory|upstream|service|backend|api|dependency/i.test(text)) {
    return "it does not say that the inventory service failed";
  }
  if (!/retry|try again|later|in \d|wait/i.test(text))
    return "it does not say what to do (e.g. retry in a few seconds)";
  return undefined;
}

const LEAKS: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /Traceback \(most recent call last\)/, what: "a Python traceback" },
  { pattern: /File "[^"]+", line \d+/, what: "a Python stack frame" },
  { pattern: /^\s*at .+:\d+:\d+\)?\s*$/m, what: "a JavaScript stack frame" },
  { pattern: /file:\/\/\//, what: "a file:// URL" },
  { pattern: /(^|[\s'"(=])\/(?:[\w.@-]+\/)+[\w.@-]+\.(?:py|ts|js|mjs|cjs)\b/, what: "a path to source code" },
  {
    pattern: new RegExp(LEAK_MARKERS.host.replaceAll(".", "\\.")),
    what: "the upstream's internal host name",
  },
];

/** What in `body` must not reach a user, or undefined. */
export function leakIn(body: string, token: string): string | undefined {
  if (body.includes(token.slice(0, 12))) return "the upstream API token";
  return LEAKS.find((l) => l.pattern.test(body))?.what;
}

// --- access log lines ----------------------------------------------------------------------------

export interface AccessLine {
  correlationId: unknown;
  outcome: unknown;
  durationMs: unknown;
  raw: string;
}

/** The JSON lines of `stderr` that log a get_stock call: they name the tool and an outcome. */
export function accessLines(stderr: string): AccessLine[] {
  const lines: AccessLine[] = [];
  for (const raw of stderr.split("\n")) {
    const obj = jsonObject(raw.trim());
    if (obj?.tool !== "get_stock" || !("outcome" in obj)) continue;
    lines.push({
      correlationId: obj.correlation_id ?? obj.correlationId,
      outcome: obj.outcome,
      durationMs: obj.duration_ms ?? obj.latency_ms,
      raw: raw.trim(),
    });
  }
  return lines;
}

function jsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** New access lines after `from` (a stderr length), waiting up to 1 s for `count` of them. */
export async function waitForAccessLines(
  ctx: CheckContext,
  from: number,
  count: number,
): Promise<AccessLine[]> {
  const deadline = performance.now() + 1000;
  for (;;) {
    const lines = accessLines(ctx.stderr().slice(from));
    if (lines.length >= count || performance.now() > deadline) return lines;
    await sleep(25);
  }
}

// --- metrics -------------------------------------------------------------------------------------

export const MetricsSchema = z.looseObject({
  tools: z.record(
    z.string(),
    z.looseObject({ calls: z.number().int().min(0), errors: z.number().int().min(0) }),
  ),
  upstream: z.looseObject({
    requests: z.number().int().min(0),
    breaker_state: z.enum(["closed", "open", "half_open"]),
  }),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export async function readMetrics(ctx: CheckContext): Promise<Metrics> {
  const read = await ctx.readResource(METRICS_URI).catch((err: unknown) => {
    if (!isMcpRequestError(err) || err.kind !== "rpc-error") throw err;
    throw new CheckFailure(`Reading ${METRICS_URI} failed with JSON-RPC error ${err.code}: ${err.message}`, {
      expected: "the metrics as a JSON text resource",
      actual: { code: err.code, message: err.message },
      hint: `Serve the counters as the resource ${METRICS_URI} (mimeType application/json); see README for its shape.`,
    });
  });
  const first = read.contents[0];
  const text = first && "text" in first ? first.text : undefined;
  if (typeof text !== "string") {
    throw new CheckFailure(`${METRICS_URI} has no text content.`, {
      expected: "one text content holding the metrics JSON",
      actual: read,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CheckFailure(`${METRICS_URI} is not JSON.`, { actual: text.slice(0, 500) });
  }
  return ctx.expect.matches(value, MetricsSchema, `${METRICS_URI} does not have the documented shape`, {
    expected:
      '{"tools": {"get_stock": {"calls": n, "errors": n}}, "upstream": {"requests": n, "breaker_state": "closed|open|half_open"}}',
  });
}

/** get_stock's counters (zeros when the tool has none yet). */
export function stockCounters(m: Metrics): { calls: number; errors: number } {
  return m.tools.get_stock ?? { calls: 0, errors: 0 };
}

export { sleep };

// What grades the resilience-observability lab. The grader runs the inventory API the server
// depends on (upstream.ts, started per run by environment()) and scripts its faults per SKU: each
// check below says what the upstream does and what get_stock must make of it. Protocol checks
// named in lab.yaml come from the engine and run first.

import type { CheckContext, CheckDefinition } from "../../conformance/check-api.ts";
import { CheckFailure } from "../../conformance/check-api.ts";
import { descriptionsSayWhen } from "../../conformance/reusable-checks.ts";
import { quietStderrMark } from "../../conformance/stderr-mark.ts";
import { judgeBackoff, judgeJitter, type TimingVerdict } from "./backoff.ts";
import { RATE_LIMIT } from "./environment.ts";
import {
  answers,
  callStock,
  expectAnswered,
  expectHits,
  expectStock,
  expectToolError,
  freshSku,
  labState,
  leakIn,
  MAX_ATTEMPTS,
  METRICS_URI,
  notActionable,
  readMetrics,
  type StockCall,
  sleep,
  stockCounters,
  tagContext,
  waitForAccessLines,
} from "./probe.ts";

export { environment } from "./environment.ts";

const COOLDOWN_MS = 1000;
/** How long after the circuit opened the grader expects a trial call to be let through. */
const AFTER_COOLDOWN_MS = COOLDOWN_MS + 300;
const BREAKER_THRESHOLD = 3;
/** A healthy but slow answer: every timeout must wait for it. */
const SLOW_MS = 300;
/** The slow call json-log-per-call times: shorter, so only upstream-timeout judges the timeout. */
const LOGGED_SLOW_MS = 200;

const RETRY_HINT =
  "Retry timeouts, connection errors and 429/502/503/504 only, at most 3 attempts in all, waiting longer before each retry.";

/** A call with a healthy upstream must succeed: after a fault, the server must serve again. */
async function expectRecovered(ctx: CheckContext, after: string): Promise<void> {
  const { upstream } = labState(ctx);
  const call = await callStock(ctx, { says: "a healthy answer" });
  try {
    expectStock(call, upstream.stockFor(call.sku));
  } catch (err) {
    if (err instanceof CheckFailure) {
      throw new CheckFailure(
        `After ${after}, the next call failed although the upstream was healthy: ${err.message}`,
        {
          actual: call.result ?? call.text,
          hint: "One failure must not break later calls: no shared state left behind, and the circuit opens only after 3 failed calls in a row.",
        },
      );
    }
    throw err;
  }
}

const BURST = {
  faults: [
    { kind: "status" as const, status: 503 },
    { kind: "status" as const, status: 503 },
  ],
  says: "503, 503, then 200",
};

/**
 * Measures retry timing with calls that each meet 503, 503, 200, in up to `rounds` rounds of
 * `calls` calls (sequential, or all at once). Every round adds evidence; the check passes as soon
 * as the evidence so far is enough, and fails when even all rounds are not (or at once when the
 * failure cannot be noise).
 */
async function judgeRounds(
  ctx: CheckContext,
  options: {
    rounds: number;
    calls: number;
    together: boolean;
    judge: (rounds: number[][][]) => TimingVerdict;
  },
): Promise<string> {
  const { upstream } = labState(ctx);
  let verdict: TimingVerdict | undefined;
  const measured: number[][][] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const skus = Array.from({ length: options.calls }, () => freshSku(ctx));
    const calls: StockCall[] = [];
    if (options.together) calls.push(...(await Promise.all(skus.map((sku) => callStock(ctx, BURST, sku)))));
    else for (const sku of skus) calls.push(await callStock(ctx, BURST, sku));
    for (const call of calls) {
      expectStock(call, upstream.stockFor(call.sku));
      expectHits(call, { min: 3, max: 3 }, "Two 503s and then a success take three attempts", RETRY_HINT);
    }
    measured.push(calls.map((c) => c.hits.map((h) => h.at)));
    verdict = options.judge(measured);
    if (verdict.ok)
      return `${verdict.summary} (${round} round${round === 1 ? "" : "s"} of ${options.calls} calls)`;
    if (verdict.decisive) break;
  }
  throw new CheckFailure(verdict?.problem ?? "retry timing", {
    expected:
      "at least 50 ms before the 2nd attempt, at least 100 ms (about twice as long) before the 3rd, randomised per call",
    actual: verdict?.summary,
    hint: verdict?.hint,
  });
}

function expectActionable(ctx: CheckContext, call: StockCall, text: string, what: string): void {
  const problem = notActionable(text);
  ctx.expect.ok(!problem, `The error for ${call.sku} (${what}) is not actionable: ${problem}.`, {
    actual: text,
    expected:
      "what happened (the inventory service timed out / is unavailable) and what to do (retry in a few seconds)",
    hint: 'E.g. "The inventory service did not answer in time (tried 3 times). Retry in a few seconds. (ref 4f2a...)".',
  });
}

const definitions: CheckDefinition[] = [
  {
    id: "tools-listed",
    title: "tools/list has get_stock with a required string argument sku",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    specRef: "2025-11-25/server/tools#listing-tools",
    async run(ctx: CheckContext) {
      const tool = (await ctx.allTools()).find((t) => t.name === "get_stock");
      ctx.expect.ok(tool, "tools/list has no get_stock tool.", {
        expected: "a tool named get_stock",
        hint: "Keep the starter's tool name and argument: get_stock(sku).",
      });
      const schema = tool.inputSchema as {
        properties?: Record<string, { type?: unknown }>;
        required?: unknown;
      };
      ctx.expect.ok(
        schema.properties?.sku?.type === "string" &&
          Array.isArray(schema.required) &&
          schema.required.includes("sku"),
        "get_stock's inputSchema does not declare a required string sku.",
        {
          expected: '{"properties": {"sku": {"type": "string"}}, "required": ["sku"]}',
          actual: tool.inputSchema,
        },
      );
      return "get_stock(sku: string)";
    },
  },
  {
    id: "stock-from-upstream",
    title: "get_stock returns the upstream's stock, calling it once with the bearer token",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const { upstream } = labState(ctx);
      const call = await callStock(ctx, { says: "a healthy answer" });
      expectAnswered(call);
      if (call.hits.length === 0) {
        throw new CheckFailure(
          `get_stock answered without calling the upstream: the inventory API received no request for ${call.sku}.`,
          {
            expected: `GET $UPSTREAM_URL/v1/stock/${call.sku} with Authorization: Bearer $UPSTREAM_TOKEN`,
            actual: call.result ?? call.text,
            hint: "Read UPSTREAM_URL and UPSTREAM_TOKEN from the environment and fetch the stock for every call; never answer with made-up or cached data.",
          },
        );
      }
      const wrong = call.hits.find((h) => !h.authorized || h.path !== `/v1/stock/${call.sku}`);
      if (wrong) {
        throw new CheckFailure(
          wrong.authorized
            ? `get_stock requested ${wrong.method} ${wrong.path}; the stock of ${call.sku} is at GET /v1/stock/${call.sku}.`
            : "get_stock called the upstream without the right token, and it answered 401 Unauthorized.",
          {
            expected: `GET /v1/stock/${call.sku} with the header Authorization: Bearer <UPSTREAM_TOKEN>`,
            actual: `${wrong.method} ${wrong.path}, ${wrong.authorized ? "authorized" : "no or wrong Authorization header"}`,
          },
        );
      }
      expectStock(call, upstream.stockFor(call.sku));
      // More than one request is possible here: the first request of a cold process (Node loads
      // its HTTP client on first use) may outlast a short attempt timeout and be retried.
      expectHits(call, { min: 1, max: MAX_ATTEMPTS }, "A healthy call takes at most 3 requests", RETRY_HINT);
      const stock = upstream.stockFor(call.sku);
      return `${call.sku}: ${stock.available} available in ${stock.warehouse}, ${answers(call.hits)}, authorized`;
    },
  },
  {
    id: "upstream-timeout",
    title: "A hung upstream costs at most the 2.5 s budget and ends in an actionable tool error",
    severity: "must",
    lesson: "m7/logging-tracing-metrics",
    specRef: "2025-11-25/basic/lifecycle#timeouts",
    requires: ["stock-from-upstream"],
    timeoutMs: 15_000,
    async run(ctx: CheckContext) {
      const { upstream } = labState(ctx);
      const slow = await callStock(ctx, {
        steady: { kind: "slow", ms: SLOW_MS },
        says: `every request after ${SLOW_MS} ms`,
      });
      try {
        expectStock(slow, upstream.stockFor(slow.sku));
      } catch (err) {
        if (!(err instanceof CheckFailure)) throw err;
        throw new CheckFailure(
          `${err.message} The timeout is too tight: a healthy answer can take ${SLOW_MS} ms.`,
          {
            actual: { result: slow.result ?? slow.text, upstream: answers(slow.hits) },
            hint: "Give each attempt about 0.5 s: long enough for a slow healthy answer, short enough that 3 attempts fit the budget.",
          },
        );
      }
      const hung = await callStock(ctx, { steady: { kind: "hang" }, says: "nothing (it hangs)" });
      const text = expectToolError(hung);
      expectHits(
        hung,
        { min: 1, max: MAX_ATTEMPTS },
        "A hung upstream may be tried at most 3 times",
        RETRY_HINT,
      );
      expectActionable(ctx, hung, text, "the upstream hung");
      await expectRecovered(ctx, "a hung upstream");
      return `a ${SLOW_MS} ms answer was awaited; a hung upstream ended after ${(hung.ms / 1000).toFixed(1)} s and ${answers(hung.hits)}: "${text.slice(0, 160)}"`;
    },
  },
  {
    id: "retries-transient-errors",
    title: "Dropped connections and 502/503/504 are retried, 3 attempts at most",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    requires: ["stock-from-upstream"],
    timeoutMs: 15_000,
    async run(ctx: CheckContext) {
      const { upstream } = labState(ctx);
      const down = await callStock(ctx, {
        faults: [
          { kind: "status", status: 502 },
          { kind: "status", status: 504 },
        ],
        steady: { kind: "status", status: 503 },
        says: "502, 504, then 503 for good",
      });
      expectToolError(down);
      expectHits(
        down,
        { min: MAX_ATTEMPTS, max: MAX_ATTEMPTS },
        down.hits.length < MAX_ATTEMPTS
          ? "A transient failure (502/503/504) deserves a retry"
          : "Retries must stop after 3 attempts",
        RETRY_HINT,
      );
      const burst = await callStock(ctx, {
        faults: [
          { kind: "status", status: 503 },
          { kind: "status", status: 503 },
        ],
        says: "503, 503, then 200",
      });
      expectStock(burst, upstream.stockFor(burst.sku));
      expectHits(burst, { min: 3, max: 3 }, "Two 503s and then a success take three attempts", RETRY_HINT);
      const reset = await callStock(ctx, {
        faults: [{ kind: "reset" }],
        says: "a dropped connection, then 200",
      });
      expectStock(reset, upstream.stockFor(reset.sku));
      expectHits(reset, { min: 2, max: 2 }, "A dropped connection is transient: retry it", RETRY_HINT);
      return "502/504/503 tried 3 times then reported; 503, 503, 200 and reset, 200 both succeeded";
    },
  },
  {
    id: "no-retry-on-client-errors",
    title: "400 and 404 are not retried; a 404 names the SKU",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    requires: ["stock-from-upstream"],
    async run(ctx: CheckContext) {
      const bad = await callStock(ctx, { steady: { kind: "status", status: 400 }, says: "400 Bad Request" });
      expectToolError(bad);
      expectHits(
        bad,
        { min: 1, max: 1 },
        "A 400 will fail the same way again and must not be retried",
        "Retry only what can pass: timeouts, connection errors and 429/502/503/504. A 4xx is the request's fault.",
      );
      const missing = await callStock(ctx, {
        steady: { kind: "status", status: 404 },
        says: "404 Not Found",
      });
      const text = expectToolError(missing);
      expectHits(missing, { min: 1, max: 1 }, "A 404 must not be retried", "An unknown SKU stays unknown.");
      ctx.expect.includes(
        text,
        missing.sku,
        `The error for an unknown SKU does not name it (${missing.sku}).`,
        {
          hint: 'Say which input was wrong so the model can fix it: "No product with SKU AB-1234. Check the SKU."',
        },
      );
      return "400 and 404 each answered after one request; the 404 error names the SKU";
    },
  },
  {
    id: "retry-backoff",
    title: "Retries wait, and the second wait is about twice the first (exponential backoff)",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    requires: ["stock-from-upstream"],
    timeoutMs: 20_000,
    run: (ctx: CheckContext) =>
      judgeRounds(ctx, { rounds: 2, calls: 5, together: false, judge: judgeBackoff }),
  },
  {
    id: "retry-jitter",
    title: "Retries are jittered: 8 calls failing together do not retry together",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    requires: ["stock-from-upstream"],
    timeoutMs: 15_000,
    run: (ctx: CheckContext) => judgeRounds(ctx, { rounds: 3, calls: 8, together: true, judge: judgeJitter }),
  },
  {
    id: "malformed-upstream-answer",
    title: "A body that is not JSON, or not stock, becomes a tool error",
    severity: "must",
    lesson: "m7/error-handling",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["stock-from-upstream"],
    timeoutMs: 12_000,
    async run(ctx: CheckContext) {
      for (const [kind, what] of [
        ["malformed", "200 with a truncated JSON body"],
        ["wrong-shape", '200 with {"available": "plenty", "warehouse": null}'],
      ] as const) {
        const call = await callStock(ctx, { steady: { kind }, says: what });
        const text = expectToolError(call);
        expectHits(
          call,
          { min: 1, max: MAX_ATTEMPTS },
          "An invalid answer may be retried at most 3 times",
          RETRY_HINT,
        );
        expectActionable(ctx, call, text, what);
      }
      await expectRecovered(ctx, "invalid upstream answers");
      return "a truncated body and a wrongly shaped body both ended in actionable tool errors";
    },
  },
  {
    id: "errors-user-safe",
    title: "No error shows a stack trace, a path, an internal host or the upstream token",
    severity: "must",
    lesson: "m7/error-handling",
    specRef: "2025-11-25/server/tools#security-considerations",
    requires: ["stock-from-upstream"],
    timeoutMs: 12_000,
    async run(ctx: CheckContext) {
      const state = labState(ctx);
      const down = await callStock(ctx, {
        steady: { kind: "status", status: 503, leaky: true },
        says: "503 with a body holding a traceback, an internal host and your token",
      });
      expectToolError(down);
      const denied = await callStock(ctx, {
        steady: { kind: "status", status: 401, leaky: true },
        says: "401 with a body echoing your token",
      });
      expectToolError(denied);
      const leaks = state.errorsSeen
        .map((e) => ({ ...e, leak: leakIn(e.body, state.token) }))
        .filter((e) => e.leak !== undefined);
      if (leaks.length > 0) {
        const first = leaks[0];
        throw new CheckFailure(
          `${leaks.length} error result${leaks.length === 1 ? "" : "s"} gave away internals: ${leaks
            .slice(0, 4)
            .map((l) => `${l.leak} (${l.check}: ${l.scenario})`)
            .join("; ")}.`,
          {
            expected: "errors in your own words: what happened and what to do, with a reference id at most",
            actual: first.body.slice(0, 1500),
            hint: "Never pass the upstream's body or an exception's text to the user. Log the detail on stderr (without the token) and return a fixed message.",
          },
        );
      }
      await expectRecovered(ctx, "upstream errors");
      return `${state.errorsSeen.length} error results in this run, none with a trace, a path, an internal host or the token`;
    },
  },
  {
    id: "json-log-per-call",
    title: "One JSON line per tool call on stderr: correlation_id, tool, outcome, duration_ms",
    severity: "must",
    lesson: "m7/logging-tracing-metrics",
    specRef: "2025-11-25/basic/transports#stdio",
    requires: ["stock-from-upstream"],
    timeoutMs: 12_000,
    async run(ctx: CheckContext) {
      const state = labState(ctx);
      const { upstream } = state;
      const from = await quietStderrMark(ctx);
      const slow = await callStock(ctx, {
        steady: { kind: "slow", ms: LOGGED_SLOW_MS },
        says: `every request after ${LOGGED_SLOW_MS} ms`,
      });
      expectStock(slow, upstream.stockFor(slow.sku));
      const missing = await callStock(ctx, {
        steady: { kind: "status", status: 404 },
        says: "404 Not Found",
      });
      const missingText = expectToolError(missing);
      const quick = await callStock(ctx, { says: "a healthy answer" });
      expectStock(quick, upstream.stockFor(quick.sku));

      const lines = await waitForAccessLines(ctx, from, 3);
      const sample = ctx.stderr().slice(from).split("\n").filter(Boolean).slice(0, 6);
      const shape =
        'e.g. {"ts": ..., "level": "info", "correlation_id": "4f2a...", "tool": "get_stock", "outcome": "ok", "duration_ms": 12.5}';
      if (lines.length !== 3) {
        throw new CheckFailure(
          lines.length === 0
            ? "No JSON access line on stderr for 3 get_stock calls: expected one JSON object per line naming the tool and its outcome."
            : `3 get_stock calls produced ${lines.length} access lines on stderr; log exactly one line per tool call${lines.length > 3 ? ", not one per attempt" : ""}.`,
          {
            expected: shape,
            actual: sample,
            hint: "Log once per call, when it ends (a middleware or a wrapper around the tool handler), on stderr.",
          },
        );
      }
      const problems: string[] = [];
      lines.forEach((line, i) => {
        if (typeof line.correlationId !== "string" || line.correlationId.length < 8) {
          problems.push(`line ${i + 1} has no correlation_id string (8+ characters)`);
        }
        if (typeof line.durationMs !== "number" || line.durationMs < 0)
          problems.push(`line ${i + 1} has no numeric duration_ms`);
        if (typeof line.outcome !== "string" || line.outcome === "")
          problems.push(`line ${i + 1} has no outcome`);
      });
      const ids = lines.map((l) => l.correlationId);
      if (problems.length === 0 && new Set(ids).size !== 3)
        problems.push("the three calls share a correlation_id");
      const okWords = ["ok", "success"];
      if (problems.length === 0) {
        const [a, b, c] = lines.map((l) => String(l.outcome));
        if (!okWords.includes(a) || !okWords.includes(c))
          problems.push(`successful calls logged outcome "${a}" and "${c}" (use "ok")`);
        if (okWords.includes(b)) problems.push(`the failed call (404) logged outcome "${b}"`);
        const slowMs = lines[0].durationMs as number;
        if (slowMs < LOGGED_SLOW_MS - 50) {
          problems.push(
            `the call that waited ${LOGGED_SLOW_MS} ms for the upstream logged duration_ms ${slowMs} (milliseconds, measured around the whole call)`,
          );
        }
      }
      if (problems.length > 0) {
        throw new CheckFailure(`The access lines fall short: ${problems.join("; ")}.`, {
          expected: shape,
          actual: lines.map((l) => l.raw),
        });
      }
      if (ctx.stderr().includes(state.token)) {
        throw new CheckFailure("stderr contains the upstream API token: logs must never carry credentials.", {
          hint: "Log the request's method, path and status, never its headers.",
        });
      }
      state.logged = [
        { sku: slow.sku, correlationId: ids[0] as string },
        { sku: missing.sku, correlationId: ids[1] as string, errorText: missingText },
        { sku: quick.sku, correlationId: ids[2] as string },
      ];
      return `3 calls, 3 access lines: outcomes ${lines.map((l) => String(l.outcome)).join(", ")}; durations ${lines.map((l) => String(l.durationMs)).join(", ")} ms`;
    },
  },
  {
    id: "correlation-id-shared",
    title: "The correlation id reaches the upstream (X-Correlation-Id) and the error text",
    severity: "should",
    lesson: "m7/logging-tracing-metrics",
    requires: ["json-log-per-call"],
    run(ctx: CheckContext) {
      const state = labState(ctx);
      const problems: string[] = [];
      for (const entry of state.logged ?? []) {
        const hits = state.upstream.hits(entry.sku);
        if (!hits.some((h) => h.correlationId === entry.correlationId)) {
          problems.push(
            `the upstream requests for ${entry.sku} carried X-Correlation-Id ${JSON.stringify(hits[0]?.correlationId ?? null)}, not the logged ${entry.correlationId}`,
          );
        }
        if (entry.errorText !== undefined && !entry.errorText.includes(entry.correlationId)) {
          problems.push(
            `the error for ${entry.sku} does not quote its correlation id ${entry.correlationId}`,
          );
        }
      }
      ctx.expect.ok(
        problems.length === 0,
        `The correlation id does not follow the call: ${problems.join("; ")}.`,
        {
          hint: 'Send the call\'s id upstream as X-Correlation-Id, and end user-facing errors with it ("ref 4f2a..."), so a support ticket leads to the log line.',
        },
      );
      return "the logged id reached the upstream and the error text";
    },
  },
  {
    id: "metrics-counters",
    title: `${METRICS_URI} counts calls, errors and upstream requests exactly`,
    severity: "must",
    lesson: "m7/logging-tracing-metrics",
    specRef: "2025-11-25/server/resources#reading-resources",
    requires: ["stock-from-upstream"],
    timeoutMs: 12_000,
    async run(ctx: CheckContext) {
      const before = await readMetrics(ctx);
      const calls = [
        await callStock(ctx, { says: "a healthy answer" }),
        await callStock(ctx, { steady: { kind: "status", status: 404 }, says: "404 Not Found" }),
        await callStock(ctx, { faults: [{ kind: "status", status: 503 }], says: "503, then 200" }),
      ];
      for (const call of calls) expectAnswered(call);
      const after = await readMetrics(ctx);
      const did = {
        calls: calls.length,
        errors: calls.filter((c) => c.result?.isError === true || c.rpcError).length,
        requests: calls.reduce((n, c) => n + c.hits.length, 0),
      };
      const counted = {
        calls: stockCounters(after).calls - stockCounters(before).calls,
        errors: stockCounters(after).errors - stockCounters(before).errors,
        requests: after.upstream.requests - before.upstream.requests,
      };
      const names = {
        calls: "tools.get_stock.calls",
        errors: "tools.get_stock.errors",
        requests: "upstream.requests",
      };
      const wrong = (Object.keys(did) as Array<keyof typeof did>)
        .filter((k) => counted[k] !== did[k])
        .map((k) => `${names[k]} rose by ${counted[k]}, the grader counted ${did[k]}`);
      ctx.expect.ok(
        wrong.length === 0,
        `The metrics do not match what happened during 3 calls (ok; 404; 503 then ok): ${wrong.join("; ")}.`,
        {
          expected: did,
          actual: counted,
          hint: "calls: every tools/call of get_stock; errors: those that ended isError; upstream.requests: every HTTP request sent, retries included.",
        },
      );
      ctx.expect.equal(
        after.upstream.breaker_state,
        "closed",
        "upstream.breaker_state should be closed after successful calls",
      );
      return `calls +${did.calls}, errors +${did.errors}, upstream.requests +${did.requests}, as the grader counted; breaker_state closed`;
    },
  },
  {
    id: "circuit-breaker-opens",
    title: "After 3 failed calls in a row the circuit opens: the next call fails fast without a request",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    requires: ["stock-from-upstream"],
    timeoutMs: 15_000,
    async run(ctx: CheckContext) {
      const state = labState(ctx);
      for (let i = 1; i <= BREAKER_THRESHOLD; i++) {
        const call = await callStock(ctx, { steady: { kind: "status", status: 503 }, says: "503 for good" });
        expectToolError(call);
        if (call.hits.length === 0) {
          throw new CheckFailure(
            `Failed call ${i} of ${BREAKER_THRESHOLD} was refused without trying the upstream: the circuit opened after ${i - 1} failed call${i === 2 ? "" : "s"}.`,
            {
              expected: `the circuit opens after ${BREAKER_THRESHOLD} consecutive failed calls (a call that failed after its retries counts once)`,
              actual: call.text,
              hint: "Count failed tool calls, not attempts, and only upstream failures (timeouts, 5xx, invalid answers), not 4xx.",
            },
          );
        }
      }
      state.breakerOpenedAt = performance.now();
      const next = await callStock(ctx, { says: "a healthy answer (but the circuit should be open)" });
      if (next.hits.length > 0) {
        throw new CheckFailure(
          `After ${BREAKER_THRESHOLD} failed calls in a row, the next call still went to the upstream (${answers(next.hits)}).`,
          {
            expected: `an immediate isError without any upstream request for ${COOLDOWN_MS / 1000} s after the circuit opens`,
            actual: next.result ?? next.text,
            hint: "A circuit breaker: count consecutive failed calls; at 3, open and fail fast for a 1 s cool-down.",
          },
        );
      }
      const text = expectToolError(next, "the circuit should be open");
      expectActionable(ctx, next, text, "the circuit is open");
      return `3 failed calls, then a refusal in ${next.ms} ms without a request: "${text.slice(0, 160)}"`;
    },
  },
  {
    id: "metrics-breaker-open",
    title: `While the circuit is open, ${METRICS_URI} says so and counts the refused call`,
    severity: "must",
    lesson: "m7/logging-tracing-metrics",
    requires: ["circuit-breaker-opens", "metrics-counters"],
    async run(ctx: CheckContext) {
      const before = await readMetrics(ctx);
      const call = await callStock(ctx, { says: "a healthy answer (but the circuit should be open)" });
      expectToolError(call, "the circuit should be open");
      const after = await readMetrics(ctx);
      ctx.expect.equal(
        [before.upstream.breaker_state, after.upstream.breaker_state],
        ["open", "open"],
        "upstream.breaker_state should be open during the cool-down",
      );
      ctx.expect.equal(
        {
          calls: stockCounters(after).calls - stockCounters(before).calls,
          errors: stockCounters(after).errors - stockCounters(before).errors,
          requests: after.upstream.requests - before.upstream.requests,
        },
        { calls: 1, errors: 1, requests: call.hits.length },
        "A call refused by the open circuit is a call and an error, and no upstream request",
      );
      return "breaker_state open; the refused call counted as a call and an error, with no upstream request";
    },
  },
  {
    id: "circuit-breaker-recovers",
    title: "After the 1 s cool-down one trial call goes through: failure reopens, success closes",
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    requires: ["circuit-breaker-opens"],
    timeoutMs: 15_000,
    async run(ctx: CheckContext) {
      const state = labState(ctx);
      const { upstream } = state;
      const openedAt = state.breakerOpenedAt ?? performance.now();
      await sleep(openedAt + AFTER_COOLDOWN_MS - performance.now());
      const trial = await callStock(ctx, { steady: { kind: "status", status: 503 }, says: "503 for good" });
      if (trial.hits.length === 0) {
        throw new CheckFailure(
          `${AFTER_COOLDOWN_MS / 1000} s after the circuit opened, get_stock still refused without trying the upstream.`,
          {
            expected: `after the ${COOLDOWN_MS / 1000} s cool-down, one trial call reaches the upstream (half-open)`,
            actual: trial.result ?? trial.text,
            hint: "Remember when the circuit opened; once the cool-down has passed, let one call through and decide by its outcome.",
          },
        );
      }
      expectToolError(trial);
      const reopenedAt = performance.now();
      const blocked = await callStock(ctx, {
        says: "a healthy answer (but the circuit should be open again)",
      });
      if (blocked.hits.length > 0) {
        throw new CheckFailure("The trial call failed, yet the next call went to the upstream again.", {
          expected: "a failed trial opens the circuit again for another cool-down",
          actual: answers(blocked.hits),
          hint: "In half-open state a single failure reopens the circuit (and restarts the cool-down).",
        });
      }
      await sleep(reopenedAt + AFTER_COOLDOWN_MS - performance.now());
      const healed = await callStock(ctx, { says: "a healthy answer" });
      if (healed.hits.length === 0) {
        throw new CheckFailure(
          `${AFTER_COOLDOWN_MS / 1000} s after the failed trial, get_stock still refused without trying the upstream.`,
          { actual: healed.result ?? healed.text, hint: "Each cool-down ends with a trial call." },
        );
      }
      expectStock(healed, upstream.stockFor(healed.sku));
      const after = await callStock(ctx, { says: "a healthy answer" });
      expectStock(after, upstream.stockFor(after.sku));
      expectHits(
        after,
        { min: 1, max: MAX_ATTEMPTS },
        "Once the trial succeeded the circuit is closed",
        RETRY_HINT,
      );
      return "trial after the cool-down reached the upstream; its failure reopened the circuit; the next trial's success closed it";
    },
  },
  {
    id: "upstream-rate-respected",
    title: `The server stayed within the upstream's rate limit (${RATE_LIMIT.perSku} requests per SKU per second)`,
    severity: "must",
    lesson: "m7/rate-limits-retries-breakers",
    specRef: "2025-11-25/server/tools#security-considerations",
    run(ctx: CheckContext) {
      const stats = labState(ctx).upstream.stats();
      const peak = stats.peakPerSku;
      ctx.expect.ok(
        stats.rateLimited === 0,
        `The inventory API refused ${stats.rateLimited} of your server's ${stats.requests} requests with 429 Too Many Requests: it sent up to ${peak.perSecond} requests within one second for a single SKU (${peak.sku}) and up to ${stats.peakPerSecond} in all; the API allows ${RATE_LIMIT.perSku} per SKU and ${RATE_LIMIT.total} in all per second.`,
        {
          expected: `at most ${RATE_LIMIT.perSku} requests per SKU and ${RATE_LIMIT.total} in all within any second (a call needs at most 3)`,
          actual: stats,
          hint: "That is a retry loop without a bound or a wait. Cap attempts at 3, back off between them, and stop calling while the circuit is open.",
        },
      );
      return `${stats.requests} requests in the run; at most ${peak.perSecond} for one SKU and ${stats.peakPerSecond} in all within a second`;
    },
  },
  descriptionsSayWhen({
    tools: ["get_stock"],
    hint: 'E.g. "How many units of a product are available, and where. Use this when the user asks whether an item is in stock."',
  }),
];

/** Each check's context is tagged with its id, so messages about earlier calls can name the check. */
export const checks: CheckDefinition[] = definitions.map((check) => ({
  ...check,
  run: (ctx: CheckContext) => check.run(tagContext(ctx, check.id)),
}));

// The resilience-observability lab, proven both ways through the real grader and sandbox, with
// the grader's own fault-injecting upstream: the reference solutions pass every check, the
// starters fail with readable messages, each broken fixture fails exactly the check(s) it breaks
// (checks that depend on them are skipped), and the two bad inputs (a server that never calls the
// upstream, one that retries in a tight loop) are contained and graded with messages that say so.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, REPO_DIR } from "./grade-cli.ts";

const LAB = "resilience-observability";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_126);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, `${LAB}-${name}`);

const skipped = { status: "skipped" as const, message: /failed first/ };
const fails = (message: RegExp) => ({ status: "fail" as const, message });
const notTried = fails(/^Not tried: 3 earlier get_stock calls never answered/);

/** Every lab check that needs stock-from-upstream, for a server that never calls it. */
const DEPENDENTS = [
  "upstream-timeout",
  "retries-transient-errors",
  "no-retry-on-client-errors",
  "retry-backoff",
  "retry-jitter",
  "malformed-upstream-answer",
  "errors-user-safe",
  "json-log-per-call",
  "correlation-id-shared",
  "metrics-counters",
  "circuit-breaker-opens",
  "metrics-breaker-open",
  "circuit-breaker-recovers",
];

const starterFailures = {
  "upstream-timeout": fails(
    /did not answer within 3 s \(the upstream was set to answer nothing \(it hangs\)\)/,
  ),
  "retries-transient-errors": fails(
    /A transient failure \(502\/503\/504\) deserves a retry: the upstream received 1 request: 502/,
  ),
  "no-retry-on-client-errors": fails(/The error for an unknown SKU does not name it/),
  "retry-backoff": fails(/The upstream was set to answer 503, 503, then 200 and received 1 request: 503/),
  "retry-jitter": fails(/The upstream was set to answer 503, 503, then 200 and received 1 request: 503/),
  "malformed-upstream-answer": fails(/is not actionable: it does not say that the inventory service failed/),
  "errors-user-safe": fails(/gave away internals: the upstream API token/),
  "json-log-per-call": fails(/No JSON access line on stderr for 3 get_stock calls/),
  "correlation-id-shared": skipped,
  "metrics-counters": fails(/Reading metrics:\/\/v1\/tools failed with JSON-RPC error/),
  "circuit-breaker-opens": fails(/After 3 failed calls in a row, the next call still went to the upstream/),
  "metrics-breaker-open": skipped,
  "circuit-breaker-recovers": skipped,
};

const cases: Expectation[] = [
  { name: "solution (python)", dir: lab("solution/python"), lang: "python", status: "pass", checks: {} },
  {
    name: "solution (typescript)",
    dir: lab("solution/typescript"),
    lang: "typescript",
    status: "pass",
    checks: {},
  },
  {
    name: "starter (python)",
    dir: lab("starter/python"),
    lang: "python",
    status: "fail",
    checks: starterFailures,
  },
  {
    name: "starter (typescript)",
    dir: lab("starter/typescript"),
    lang: "typescript",
    status: "fail",
    // Its fetch to the hung upstream has no timeout and keeps Node alive after stdin closes.
    checks: {
      ...starterFailures,
      "stdio-clean-shutdown": fails(/still running 2 s after its stdin was closed/),
    },
  },
  {
    name: "no-timeout",
    dir: fixture("no-timeout"),
    lang: "python",
    status: "fail",
    checks: { "upstream-timeout": fails(/did not answer within 3 s .*received 1 request: hang/) },
  },
  {
    name: "timeout-too-short",
    dir: fixture("timeout-too-short"),
    lang: "typescript",
    status: "fail",
    checks: {
      "upstream-timeout": fails(
        /every request after 300 ms and received 3 requests.*The timeout is too tight/,
      ),
    },
  },
  {
    name: "retries-client-errors",
    dir: fixture("retries-client-errors"),
    lang: "python",
    status: "fail",
    checks: {
      "no-retry-on-client-errors": fails(/A 400 will fail the same way again .*3 requests: 400, 400, 400/),
    },
  },
  {
    // A fixed wait, the same for every call: neither backoff nor jitter.
    name: "no-backoff",
    dir: fixture("no-backoff"),
    lang: "python",
    status: "fail",
    checks: {
      "retry-backoff": fails(/The waits do not grow/),
      "retry-jitter": fails(/retried in lockstep, in the order they had failed/),
    },
  },
  {
    name: "no-jitter",
    dir: fixture("no-jitter"),
    lang: "typescript",
    status: "fail",
    checks: { "retry-jitter": fails(/retried in lockstep, in the order they had failed: over 3 rounds/) },
  },
  {
    name: "no-breaker",
    dir: fixture("no-breaker"),
    lang: "typescript",
    status: "fail",
    checks: {
      "circuit-breaker-opens": fails(
        /After 3 failed calls in a row, the next call still went to the upstream/,
      ),
      "metrics-breaker-open": skipped,
      "circuit-breaker-recovers": skipped,
    },
  },
  {
    name: "breaker-never-recovers",
    dir: fixture("breaker-never-recovers"),
    lang: "python",
    status: "fail",
    checks: {
      "circuit-breaker-recovers": fails(
        /1\.3 s after the circuit opened, get_stock still refused without trying/,
      ),
    },
  },
  {
    // The upstream's body travels into the error text and, through the log line, onto stderr.
    name: "leaks-upstream-body",
    dir: fixture("leaks-upstream-body"),
    lang: "typescript",
    status: "fail",
    checks: {
      "errors-user-safe": fails(
        /gave away internals: the upstream API token \(errors-user-safe: 503 with a body/,
      ),
      "json-log-per-call": fails(/stderr contains the upstream API token/),
      "correlation-id-shared": skipped,
    },
  },
  {
    name: "stack-trace",
    dir: fixture("stack-trace"),
    lang: "python",
    status: "fail",
    checks: {
      "errors-user-safe": fails(
        /gave away internals: a Python traceback \(malformed-upstream-answer: 200 with a truncated JSON body\)/,
      ),
    },
  },
  {
    name: "plain-logs",
    dir: fixture("plain-logs"),
    lang: "typescript",
    status: "fail",
    checks: {
      "json-log-per-call": fails(/No JSON access line on stderr/),
      "correlation-id-shared": skipped,
    },
  },
  {
    name: "log-per-attempt",
    dir: fixture("log-per-attempt"),
    lang: "python",
    status: "fail",
    checks: {
      "json-log-per-call": fails(
        /3 get_stock calls produced 6 access lines on stderr; .*not one per attempt/,
      ),
      "correlation-id-shared": skipped,
    },
  },
  {
    name: "metrics-lie",
    dir: fixture("metrics-lie"),
    lang: "typescript",
    status: "fail",
    checks: {
      "metrics-counters": fails(/upstream\.requests rose by 3, the grader counted 4/),
      "metrics-breaker-open": skipped,
    },
  },
  {
    name: "never-calls-upstream",
    dir: fixture("never-calls-upstream"),
    lang: "python",
    status: "fail",
    checks: {
      "stock-from-upstream": fails(
        /answered without calling the upstream: the inventory API received no request/,
      ),
      ...Object.fromEntries(DEPENDENTS.map((id) => [id, skipped])),
    },
  },
];

describe(`lab ${LAB}`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    assertGraded(await grade(LAB, want.dir, want.lang, SEED), want);
  });

  it("contains a server that retries in a tight loop: the upstream rate-limits it and the result says so", async () => {
    const result = await grade(LAB, fixture("tight-loop"), "python", SEED);
    expect(result.status).toBe("fail");
    // Graded to the end with readable checks: not a timeout, not an output or memory kill.
    expect(result.verdict).toBe("checks-failed");
    const byId = new Map(result.checks.map((c) => [c.id, c]));
    expect(byId.get("stock-from-upstream")?.status).toBe("pass");
    expect(byId.get("upstream-timeout")?.message).toMatch(/did not answer within 3 s/);
    expect(byId.get("retries-transient-errors")?.message).toMatch(
      /did not answer within 3 s .*received \d+ requests: 502, 504, 503, 503, .*of them refused as over its rate limit/,
    );
    // After three stuck calls the grader stops piling more onto the server.
    expect(byId.get("circuit-breaker-opens")?.message).toMatch(notTried.message);
    const rate = byId.get("upstream-rate-respected");
    expect(rate?.status).toBe("fail");
    expect(rate?.message).toMatch(
      /The inventory API refused \d+ of your server's \d+ requests with 429 Too Many Requests: it sent up to \d+ requests within one second for a single SKU/,
    );
  });
});

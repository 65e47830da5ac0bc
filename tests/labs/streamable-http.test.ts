// The streamable-http lab, proven both ways through the real grader (sandbox, HTTP relay): the
// reference solutions pass every check, the stdio starters fail as "did not listen for HTTP", and
// each broken fixture fails exactly the check it breaks (checks that depend on it are skipped),
// nothing else. The 2026-07-28 stateless check applies to Python only: the pinned TypeScript SDK
// has no stateless mode, so there it is left out rather than failed.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, type Lang, REPO_DIR } from "./grade-cli.ts";

const LAB = "streamable-http";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_125);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, `${LAB}-${name}`);

const skipped = (after: string) => ({
  status: "skipped" as const,
  message: new RegExp(`${after} failed first`),
});
const fails = (message: RegExp) => ({ status: "fail" as const, message });

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
    name: "stateless",
    dir: fixture("stateless"),
    lang: "python",
    status: "fail",
    checks: {
      "http-session-id-issued": fails(/The answer to initialize carried no Mcp-Session-Id header/),
      "idempotency-key-replays": skipped("http-session-id-issued"),
      "cancellation-stops-work": skipped("http-session-id-issued"),
      "concurrent-sessions-isolated": skipped("http-session-id-issued"),
    },
  },
  {
    name: "session-optional",
    dir: fixture("session-optional"),
    lang: "typescript",
    status: "fail",
    checks: { "http-session-required": fails(/A ping without Mcp-Session-Id answered HTTP 200/) },
  },
  {
    name: "delete-ignored",
    dir: fixture("delete-ignored"),
    lang: "typescript",
    status: "fail",
    checks: { "http-session-ended-404": fails(/A request in the ended session answered HTTP 200/) },
  },
  {
    name: "no-origin-check",
    dir: fixture("no-origin-check"),
    lang: "python",
    status: "fail",
    checks: { "http-origin-forbidden": fails(/Origin: http:\/\/evil\.example answered HTTP 200/) },
  },
  {
    // A `should`: the lab still passes, with a warning.
    name: "accept-ignored",
    dir: fixture("accept-ignored"),
    lang: "typescript",
    status: "pass",
    checks: { "http-accept-negotiation": fails(/A POST with Accept: text\/html answered HTTP 200/) },
  },
  {
    name: "version-header-ignored",
    dir: fixture("version-header-ignored"),
    lang: "typescript",
    status: "fail",
    checks: {
      "http-protocol-version-header": fails(/A ping with MCP-Protocol-Version: 1999-01-01 answered HTTP 200/),
    },
  },
  {
    name: "tools-renamed",
    dir: fixture("tools-renamed"),
    lang: "python",
    status: "fail",
    checks: {
      "tools-listed": fails(/The service's contract is incomplete: slow_count is not listed/),
      "idempotency-key-replays": skipped("tools-listed"),
      "progress-notifications": skipped("tools-listed"),
      "cancellation-stops-work": skipped("tools-listed"),
      "concurrent-sessions-isolated": skipped("tools-listed"),
      "stateless-discover": skipped("tools-listed"),
    },
  },
  {
    name: "no-idempotency",
    dir: fixture("no-idempotency"),
    lang: "typescript",
    status: "fail",
    checks: {
      "idempotency-key-replays": fails(
        /send_greeting retried with the same idempotency_key sent a second greeting: g-\d+, then g-\d+/,
      ),
    },
  },
  {
    name: "no-progress",
    dir: fixture("no-progress"),
    lang: "python",
    status: "fail",
    checks: {
      "progress-notifications": fails(
        /slow_count\(n: \d\) sent no notifications\/progress, although the request carried a progressToken/,
      ),
    },
  },
  {
    name: "cancel-ignored",
    dir: fixture("cancel-ignored"),
    lang: "typescript",
    status: "fail",
    checks: {
      "cancellation-stops-work": fails(
        /The work went on after notifications\/cancelled: jobs:\/\/job-[a-z]+-\d+ kept counting/,
      ),
    },
  },
  {
    name: "cancel-shielded",
    dir: fixture("cancel-shielded"),
    lang: "python",
    status: "fail",
    checks: {
      "cancellation-stops-work": fails(
        /The work went on after notifications\/cancelled: jobs:\/\/job-[a-z]+-\d+ kept counting/,
      ),
    },
  },
  {
    name: "shared-state",
    dir: fixture("shared-state"),
    lang: "python",
    status: "fail",
    checks: {
      "concurrent-sessions-isolated": fails(
        /Cross-talk between sessions: the outbox of session 1 lists \d+ greetings it did not send: g-\d+ \(to [A-Z][a-z]+, (sent in session [2-4]|not sent in this session)\)/,
      ),
    },
  },
  {
    name: "racy-ids",
    dir: fixture("racy-ids"),
    lang: "typescript",
    status: "fail",
    checks: {
      "concurrent-sessions-isolated": fails(
        /Different greetings sent at the same time in session 1 got the same id g-1: g-1, g-1, g-1/,
      ),
    },
  },
  {
    // A `should`: the lab still passes, with a warning.
    name: "modern-blocked",
    dir: fixture("modern-blocked"),
    lang: "python",
    status: "pass",
    checks: {
      "stateless-discover": fails(
        /server\/discover \(MCP-Protocol-Version: 2026-07-28, no session\) answered HTTP 400/,
      ),
    },
  },
];

describe(`lab ${LAB}`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    assertGraded(await grade(LAB, want.dir, want.lang, SEED), want);
  });

  it("grades the 2026-07-28 stateless mode for Python only", async () => {
    const [python, typescript] = await Promise.all([
      grade(LAB, lab("solution/python"), "python", SEED),
      grade(LAB, lab("solution/typescript"), "typescript", SEED),
    ]);
    expect(python.checks.find((c) => c.id === "stateless-discover")?.status).toBe("pass");
    expect(typescript.checks.map((c) => c.id)).not.toContain("stateless-discover");
    // The session checks are this lab's own, raised to `must`.
    for (const id of ["http-session-id-issued", "http-session-required"]) {
      expect(python.checks.find((c) => c.id === id)?.severity).toBe("must");
    }
  });

  // The starters are the service over stdio: nothing listens on $PORT, so the run ends as
  // did-not-start, with the server's own "serving on stdio" line shown to the learner.
  it.each(["python", "typescript"] as const)("starter (%s) does not listen for HTTP", async (lang: Lang) => {
    const result = await grade(LAB, lab(`starter/${lang}`), lang, SEED);
    expect(result.status).toBe("fail");
    expect(result.verdict).toBe("did-not-start");
    expect(result.message).toMatch(/did not listen for HTTP/);
    expect(result.message).toMatch(/serving on stdio/);
    expect(result.checks.every((c) => c.status === "skipped")).toBe(true);
  });
});

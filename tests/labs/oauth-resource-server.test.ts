// The oauth-resource-server lab, proven both ways through the real grader and sandbox: the reference
// solutions pass every check, the starters fail with readable messages, each broken fixture fails
// exactly the check it breaks (dependants skipped), a hostile server finds no key and is named for
// probing the authorization server, and a token minted in one run is refused in the next.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckContext, CheckDefinition } from "../../conformance/check-api.ts";
import { gradeDirectory, limitsFor, loadLabPlan } from "../../conformance/grade.ts";
import type { LabEnvironment, LabEnvironmentInput } from "../../conformance/lab-environment.ts";
import type { GradeResult } from "../../conformance/result.ts";
import { checks } from "../../labs/oauth-resource-server/checks.ts";
import { environment, type OAuthLab } from "../../labs/oauth-resource-server/environment.ts";
import { bearer, initializeMessage, post } from "../../labs/oauth-resource-server/probes.ts";
import { SCOPES } from "../../labs/oauth-resource-server/world.ts";
import { sandboxMode } from "../conformance/sandbox-mode.ts";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, REPO_DIR } from "./grade-cli.ts";

const LAB = "oauth-resource-server";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_125);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, `${LAB}-${name}`);

const skipped = { status: "skipped" as const, message: /failed first/ };
const fails = (message: RegExp) => ({ status: "fail" as const, message });

const starterFailures = {
  "rejects-missing-token": fails(/initialize without a token answered HTTP 200: \/mcp is not protected/),
  "protected-resource-metadata": fails(/oauth-protected-resource\/mcp answered HTTP 404/),
  "verifies-signature": fails(/^Forged signature: .* was accepted \(HTTP 200\)/),
  "rejects-alg-none": fails(/^Unsigned token \(alg "none"\)/),
  "rejects-hs256-key-confusion": fails(/^Algorithm confusion: .*SPKI PEM was accepted/),
  "enforces-issuer": fails(/^Wrong issuer: /),
  "enforces-audience": fails(/^Wrong audience: .*billing API/),
  "enforces-expiry": fails(/^Expired token: .*expired 10 minutes ago was accepted/),
  "enforces-not-before": fails(/^Token used before nbf/),
  "tool-scopes-enforced": fails(
    /add_note ran with a token that has only notes:read: .*and the note was stored/,
  ),
  "insufficient-scope-challenge": skipped,
  "no-token-passthrough": fails(/^Token passthrough: the billing API received the very token/),
  "audit-log": skipped,
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
    checks: starterFailures,
  },
  {
    name: "no-www-authenticate",
    dir: fixture("no-www-authenticate"),
    lang: "python",
    status: "fail",
    checks: { "rejects-missing-token": fails(/The 401 has no `WWW-Authenticate: Bearer` challenge/) },
  },
  {
    name: "accepts-query-token",
    dir: fixture("accepts-query-token"),
    lang: "typescript",
    status: "fail",
    checks: {
      "rejects-missing-token": fails(/A valid token in the query string \(\?access_token=\) was accepted/),
    },
  },
  {
    name: "wrong-metadata",
    dir: fixture("wrong-metadata"),
    lang: "typescript",
    status: "fail",
    checks: {
      "protected-resource-metadata": fails(
        /"resource" is http:\/\/127\.0\.0\.1:8000; it must be exactly http:\/\/127\.0\.0\.1:8000\/mcp/,
      ),
    },
  },
  {
    name: "no-signature-check",
    dir: fixture("no-signature-check"),
    lang: "python",
    status: "fail",
    checks: {
      "verifies-signature": fails(/^Forged signature: .*signed by a key that is not in the JWKS/),
      "rejects-alg-none": fails(/^Unsigned token/),
      "rejects-hs256-key-confusion": fails(/^Algorithm confusion/),
    },
  },
  {
    name: "accepts-alg-none",
    dir: fixture("accepts-alg-none"),
    lang: "typescript",
    status: "fail",
    checks: { "rejects-alg-none": fails(/^Unsigned token \(alg "none"\): .*empty signature was accepted/) },
  },
  {
    name: "hs256-public-key",
    dir: fixture("hs256-public-key"),
    lang: "python",
    status: "fail",
    checks: {
      "rejects-hs256-key-confusion": fails(/^Algorithm confusion: .*HMAC key is the public key as SPKI PEM/),
    },
  },
  {
    name: "ignores-issuer",
    dir: fixture("ignores-issuer"),
    lang: "typescript",
    status: "fail",
    checks: { "enforces-issuer": fails(/^Wrong issuer: .*iss "http:\/\/127\.0\.0\.1:\d+"/) },
  },
  {
    name: "ignores-audience",
    dir: fixture("ignores-audience"),
    lang: "typescript",
    status: "fail",
    checks: { "enforces-audience": fails(/^Wrong audience: .*issued for the billing API/) },
  },
  {
    name: "ignores-expiry",
    dir: fixture("ignores-expiry"),
    lang: "python",
    status: "fail",
    checks: {
      "enforces-expiry": fails(/^Expired token: initialize with a token that expired 10 minutes ago/),
    },
  },
  {
    name: "session-as-login",
    dir: fixture("session-as-login"),
    lang: "python",
    status: "fail",
    checks: {
      "enforces-expiry": fails(/^Expired token in an open session: tools\/call whoami in an open session/),
    },
  },
  {
    name: "ignores-not-before",
    dir: fixture("ignores-not-before"),
    lang: "python",
    status: "fail",
    checks: { "enforces-not-before": fails(/^Token used before nbf: .*nbf is 10 minutes from now/) },
  },
  {
    name: "no-scope-check",
    dir: fixture("no-scope-check"),
    lang: "python",
    status: "fail",
    checks: {
      "tool-scopes-enforced": fails(/^add_note ran with a token that has only notes:read/),
      "insufficient-scope-challenge": skipped,
      "audit-log": skipped,
    },
  },
  {
    name: "scope-error-not-403",
    dir: fixture("scope-error-not-403"),
    lang: "typescript",
    // Only a `should` fails: the lab passes, with a warning.
    status: "pass",
    checks: {
      "insufficient-scope-challenge": fails(
        /refused with JSON-RPC error -32600: .*a client cannot step up from that/,
      ),
    },
  },
  {
    name: "tenant-leak",
    dir: fixture("tenant-leak"),
    lang: "python",
    status: "fail",
    checks: {
      "tenant-isolation": fails(/^Tenant leak: list_notes with bob's token returned a note of tenant/),
    },
  },
  {
    name: "token-passthrough",
    dir: fixture("token-passthrough"),
    lang: "typescript",
    status: "fail",
    checks: {
      "no-token-passthrough": fails(
        /^Token passthrough: the billing API received the very token .*aud "http:\/\/127\.0\.0\.1:8000\/mcp"/,
      ),
    },
  },
  {
    name: "no-audit-log",
    dir: fixture("no-audit-log"),
    lang: "python",
    status: "fail",
    checks: {
      "audit-log": fails(/not have exactly one line per decision .*0 allow line\(s\) for list_notes/),
    },
  },
  {
    name: "jwks-fetched-once",
    dir: fixture("jwks-fetched-once"),
    lang: "typescript",
    status: "fail",
    checks: {
      "key-rotation": fails(
        /^After the authorization server published a new signing key .* was refused \(HTTP 401\)/,
      ),
    },
  },
];

describe(`lab ${LAB}`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    assertGraded(await grade(LAB, want.dir, want.lang, SEED), want);
  });

  it("a server hunting for the grader's key finds none, reaches nothing else, and is named for it", async () => {
    const result = await grade(LAB, fixture("hostile-key-hunt"), "python", SEED);
    assertGraded(result, {
      name: "hostile-key-hunt",
      dir: fixture("hostile-key-hunt"),
      lang: "python",
      status: "pass",
      checks: {
        "authorization-server-boundary": fails(
          /asked the grader's authorization server for GET \/admin \(404\), GET \/keys \(404\), GET \/private\.pem \(404\), GET \/debug\/keys \(404\): refused/,
        ),
      },
    });
    const hunt = result.stderr.split("\n").filter((l) => l.startsWith("key-hunt: "));
    // Without isolation (SANDBOX=unsafe-local on a host that cannot isolate) the hunt sees the host.
    if ((await sandboxMode()) === "bwrap") {
      expect(hunt).toContain("key-hunt: private key material found: none");
      expect(hunt).toContain("key-hunt: other loopback ports reachable: none");
    }
    // It could ask for its own user-audience token; the authorization server said no.
    expect(hunt).toContain("key-hunt: authorization server POST /token -> 400");
    expect(hunt.find((l) => l.startsWith("key-hunt: files scanned: "))).toMatch(/scanned: [1-9]\d*/);
  });

  it("names real spec sections and lessons", () => {
    const SPEC = "/work/ref/modelcontextprotocol/docs/specification";
    const lessons = new Set(
      ["threat-model", "oauth-in-mcp", "client-registration-discovery", "least-privilege"].map(
        (l) => `m5/${l}`,
      ),
    );
    for (const check of checks) {
      expect(lessons.has(check.lesson), `${check.id}: ${check.lesson}`).toBe(true);
      if (!check.specRef) continue;
      const [page, anchor] = check.specRef.split("#");
      const headings = readFileSync(path.join(SPEC, `${page}.mdx`), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("#"))
        .map((l) =>
          l
            .replace(/^#+\s*/, "")
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, "")
            .trim()
            .replace(/\s+/g, "-"),
        );
      expect(headings, `${check.id}: #${anchor}`).toContain(anchor);
    }
    const module5 = readFileSync(path.join(REPO_DIR, "course/05-security/module.yaml"), "utf8");
    for (const lesson of lessons) expect(module5, lesson).toContain(`- ${lesson.slice(3)}\n`);
  });
});

/** A run-1 token replayed against run 2's server: run 2 has its own keys, so it must be refused. */
function replayCheck(token: () => string): CheckDefinition {
  return {
    id: "replays-previous-run-token",
    title: "a token minted in the previous run is refused",
    severity: "must",
    lesson: "m5/oauth-in-mcp",
    async run(ctx: CheckContext) {
      const old = await post(ctx, initializeMessage(), { authorization: bearer(token()) });
      ctx.expect.equal(old.status, 401, "the previous run's token was accepted");
      const state = ctx.environment as OAuthLab;
      const fresh = await state.userToken({
        sub: "fresh",
        tenant: state.tenants[0].id,
        scopes: [SCOPES.read],
      });
      const now = await post(ctx, initializeMessage(), { authorization: bearer(fresh) });
      ctx.expect.equal(now.status, 200, "this run's own token was refused");
      return "previous run's token refused, this run's accepted";
    },
  };
}

describe(`lab ${LAB}: nothing minted leaks between runs`, () => {
  it("gives the second run new keys, so the first run's token is refused there", async () => {
    const isolation = await sandboxMode();
    const plan = await loadLabPlan(LAB);
    if (!plan.ok) throw new Error(plan.error);
    const runs: { lab: OAuthLab; token: string; sockets: string[] }[] = [];
    // The lab's own environment, watched: keep each run's state and a valid token it minted.
    const watched = async (input: LabEnvironmentInput): Promise<LabEnvironment> => {
      const env = await environment(input);
      const state = env.state as OAuthLab;
      const token = await state.userToken({
        sub: "replayer",
        tenant: state.tenants[0].id,
        scopes: [SCOPES.read],
      });
      runs.push({ lab: state, token, sockets: (env.services ?? []).map((s) => s.socketPath) });
      return env;
    };
    const run = (extra: CheckDefinition[]): Promise<{ result: GradeResult }> =>
      gradeDirectory({
        sourceDir: lab("solution/python"),
        lang: "python",
        entry: "server.py",
        transport: "http",
        httpPath: plan.value.lab.httpPath,
        checks: [...plan.value.checks, ...extra],
        limits: limitsFor(plan.value.lab),
        lab: LAB,
        seed: SEED,
        isolation,
        environment: watched,
      });
    const first = await run([]);
    expect(first.result.status).toBe("pass");
    const [one] = runs;
    if (!one) throw new Error("run 1 made no environment");
    // Run 1 is over: its sockets are gone and its authorization server can no longer sign.
    for (const socket of one.sockets) expect(existsSync(socket)).toBe(false);
    await expect(one.lab.userToken({ sub: "x", tenant: "t", scopes: [] })).rejects.toThrow(/closed/);

    const second = await run([replayCheck(() => one.token)]);
    const replay = second.result.checks.find((c) => c.id === "replays-previous-run-token");
    expect(replay?.status, replay?.message).toBe("pass");
    expect(second.result.status).toBe("pass");
    // Same seed, same tenants: only the keys differ, so it is the signature that refused the token.
    expect(runs[1]?.lab.tenants).toEqual(one.lab.tenants);
  });
});

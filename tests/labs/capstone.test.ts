// The capstone lab, proven both ways through the real grader (CLI, bwrap sandbox, the combined
// environment of the OAuth, resilience and injection labs): the reference solutions pass every
// check in every area with readiness 100, the starters fail with messages that say what to build,
// and each broken fixture fails exactly the check(s) it targets (dependants skipped), nothing else.
// Then the pieces around it: the combined environment (every part's state, one token with the
// capstone's scopes, everything closed after the run) and the submission's extra files.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import type { GradeResult } from "../../conformance/result.ts";
import { readSubmissionFiles } from "../../conformance/submission.ts";
import { type CapstoneState, environment } from "../../labs/capstone/environment.ts";
import { ALL_SCOPES, AREAS } from "../../labs/capstone/world.ts";
import { SubmittedFilesSchema } from "../../lib/submissions/files.ts";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, REPO_DIR } from "./grade-cli.ts";

const LAB = "capstone";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_261_126);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, `${LAB}-${name}`);

const skipped = { status: "skipped" as const, message: /failed first/ };
const fails = (message: RegExp) => ({ status: "fail" as const, message });
const skip = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, skipped]));

/** What both starters fail: each area's entry check, with the words that say what to build. */
const starterFailures = {
  "annotations-honest": fails(/whoami changes nothing but does not say readOnlyHint: true/),
  "structured-output-valid": fails(/whoami declares no outputSchema/),
  "rejects-missing-token": fails(/initialize without a token answered HTTP 200: \/mcp is not protected/),
  "protected-resource-metadata": fails(/oauth-protected-resource\/mcp answered HTTP 404/),
  "accepts-valid-token": fails(/whoami did not report the token's subject and tenant.*Not built yet/),
  "read-document-works": fails(
    /read_document\(\{"path":"handbook-\w+\.md"\}\) did not return docs\/handbook-\w+\.md/,
  ),
  "stock-from-upstream": fails(/get_stock answered without calling the upstream/),
  "contract-matches-tools-list": fails(/whoami is served but not in contract\/tools\.json/),
  "changelog-versioned": fails(/CHANGELOG\.md has no release entry/),
  ...skip(
    "verifies-signature",
    "rejects-alg-none",
    "rejects-hs256-key-confusion",
    "enforces-issuer",
    "enforces-audience",
    "enforces-expiry",
    "enforces-not-before",
    "path-traversal-refused",
    "absolute-path-refused",
    "encoded-traversal-refused",
    "symlink-escape-refused",
    "untrusted-content-delimited",
    "scopes-enforced",
    "insufficient-scope-challenge",
    "no-token-passthrough",
    "delete-dry-run-by-default",
    "upstream-timeout",
    "retries-transient-errors",
    "no-retry-on-client-errors",
    "malformed-upstream-answer",
    "errors-user-safe",
    "json-log-per-call",
    "correlation-id-shared",
    "metrics-counters",
    "tool-call-logs",
    "circuit-breaker-opens",
    "key-rotation",
  ),
};

const solution = (lang: "python" | "typescript"): Expectation => ({
  name: `solution (${lang})`,
  dir: lab(`solution/${lang}`),
  lang,
  status: "pass",
  checks: {},
});

const cases: Expectation[] = [
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
    checks: {
      ...starterFailures,
      "http-origin-forbidden": fails(/initialize with Origin: http:\/\/evil\.example answered HTTP 200/),
      // No resources at all: the suite's resources/list meets "method not found".
      "suite-resources-list": fails(/resources-list failed 1 of 1 checks[\s\S]*Method not found/),
    },
  },
  {
    name: "contract-drift",
    dir: fixture("contract-drift"),
    lang: "typescript",
    status: "fail",
    checks: {
      "contract-matches-tools-list": fails(
        /read_document\.inputSchema differs[\s\S]*--- contract\/tools\.json\n\+\+\+ tools\/list \(live\)\n@@[\s\S]*\+\s+"max_bytes"/,
      ),
    },
  },
  {
    name: "changelog-mismatch",
    dir: fixture("changelog-mismatch"),
    lang: "python",
    status: "fail",
    checks: {
      "changelog-versioned": fails(
        /The newest entry of CHANGELOG\.md is 1\.0\.0, but the server reports version 1\.1\.0 \(serverInfo\.version\)/,
      ),
    },
  },
  {
    name: "no-auth",
    dir: fixture("no-auth"),
    lang: "python",
    status: "fail",
    checks: { "rejects-missing-token": fails(/initialize without a token answered HTTP 200/) },
  },
  {
    name: "token-passthrough",
    dir: fixture("token-passthrough"),
    lang: "typescript",
    status: "fail",
    checks: {
      "no-token-passthrough": fails(
        /Token passthrough: the billing API received the very token the grader sent to your MCP server/,
      ),
    },
  },
  {
    name: "traversal-allowed",
    dir: fixture("traversal-allowed"),
    lang: "python",
    status: "fail",
    checks: {
      "path-traversal-refused": fails(
        /returned the content of secret\/traversal-\w+\.txt, a file outside docs\/ that the grader planted: path traversal/,
      ),
      ...skip("encoded-traversal-refused", "symlink-escape-refused"),
    },
  },
  {
    name: "no-upstream-timeout",
    dir: fixture("no-upstream-timeout"),
    lang: "typescript",
    status: "fail",
    checks: {
      "upstream-timeout": fails(
        /get_stock for [A-Z]{2}-\d{4} did not answer within 3 s .*nothing \(it hangs\)/,
      ),
    },
  },
  {
    name: "no-logs",
    dir: fixture("no-logs"),
    lang: "python",
    status: "fail",
    checks: {
      "json-log-per-call": fails(/No JSON access line on stderr for 3 get_stock calls/),
      "tool-call-logs": fails(/no JSON line naming a tool and an outcome for 4 tool calls/),
      ...skip("correlation-id-shared"),
    },
  },
  {
    name: "stack-trace",
    dir: fixture("stack-trace"),
    lang: "python",
    status: "fail",
    checks: { "errors-user-safe": fails(/error results? gave away internals: a Python traceback/) },
  },
  {
    name: "no-ping",
    dir: fixture("no-ping"),
    lang: "typescript",
    status: "fail",
    checks: {
      ping: fails(/answered ping with JSON-RPC error -32601/),
      "suite-ping": fails(/The official suite's ping failed 1 of 1 checks/),
    },
  },
  {
    name: "scope-ignored",
    dir: fixture("scope-ignored"),
    lang: "python",
    status: "fail",
    checks: {
      "scopes-enforced": fails(
        /delete_document ran with a token that has only kb:read: it answered a result/,
      ),
      ...skip("insufficient-scope-challenge", "tool-call-logs"),
    },
  },
  {
    name: "unfenced-documents",
    dir: fixture("unfenced-documents"),
    lang: "typescript",
    status: "fail",
    checks: {
      "untrusted-content-delimited": fails(/came back as plain text, with no fence around it/),
    },
  },
  {
    name: "dishonest-annotations",
    dir: fixture("dishonest-annotations"),
    lang: "python",
    status: "fail",
    checks: { "annotations-honest": fails(/delete_document deletes files but says readOnlyHint: true/) },
  },
];

const AREA_ORDER = [...Object.values(AREAS), "official-suite"];

/** Every check is in an area; readiness counts them area by area. */
function expectAreas(result: GradeResult): void {
  const missing = result.checks.filter((c) => !c.area).map((c) => c.id);
  expect(missing, "checks without an area").toEqual([]);
  expect(result.readiness?.areas.map((a) => a.area)).toEqual(AREA_ORDER);
  const total = result.readiness?.areas.reduce((n, a) => n + a.total, 0);
  expect(total).toBe(result.checks.length);
}

describe(`lab ${LAB}: reference solutions`, () => {
  it.each(["python", "typescript"] as const)("%s passes every check, readiness 100", async (lang) => {
    const want = solution(lang);
    const result = await grade(LAB, want.dir, lang, SEED);
    assertGraded(result, want);
    expectAreas(result);
    expect(result.readiness?.score).toBe(100);
    expect(result.runtime.protocolVersion).toBe("2025-11-25");
  });
});

describe(`lab ${LAB}: starters and broken fixtures`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    const result = await grade(LAB, want.dir, want.lang, SEED);
    assertGraded(result, want);
    expectAreas(result);
    expect(result.readiness?.score).toBeLessThan(100);
    // The area of each failed check shows a failure in the summary.
    for (const check of result.checks.filter((c) => c.status === "fail")) {
      expect(result.readiness?.areas.find((a) => a.area === check.area)?.failed, check.id).toBeGreaterThan(0);
    }
  });
});

describe(`lab ${LAB}: the combined environment`, () => {
  it("holds every lab's state, gives the grader every capstone scope and closes every part", async () => {
    const sourceDir = await mkdtemp(path.join(tmpdir(), "capstone-env-"));
    try {
      const env = await environment({ seed: SEED, lang: "python", sourceDir, log: () => undefined });
      const state = env.state as CapstoneState;
      expect(Object.keys(env.env ?? {}).sort()).toEqual(
        [
          "BILLING_API_URL",
          "BILLING_CLIENT_ID",
          "BILLING_CLIENT_SECRET",
          "FETCH_ALLOWED_ORIGINS",
          "MCP_RESOURCE",
          "OAUTH_ISSUER",
          "OAUTH_JWKS_URL",
          "OAUTH_TOKEN_URL",
          "PORT",
          "UPSTREAM_TOKEN",
          "UPSTREAM_URL",
        ].sort(),
      );
      // The OAuth lab's AS and billing API, the inventory API, the attacker's upstream and canary.
      expect(env.services?.map((s) => s.port).slice(0, 3)).toEqual([9400, 9500, 9100]);
      expect(env.services).toHaveLength(5);
      expect(Object.keys(env.plantFiles ?? {}).some((f) => f.startsWith("docs/"))).toBe(true);
      expect(Object.keys(env.symlinks ?? {}).length).toBeGreaterThan(0);
      const bearer = env.httpHeaders?.authorization?.replace(/^Bearer /, "") ?? "";
      expect(bearer).toBe(state.mainToken);
      expect(decodeJwt(bearer).scope).toBe(ALL_SCOPES.join(" "));
      expect(state.sourceDir).toBe(sourceDir);
      // Each lab's checks find their own fields on the one state.
      expect(state.as && state.billing && state.upstream && state.plan && state.secrets).toBeTruthy();
      const sockets = (env.services ?? []).map((s) => s.socketPath);
      await env.close();
      for (const socket of sockets) expect(existsSync(socket)).toBe(false);
      await expect(state.userToken({ sub: "x", tenant: "t", scopes: [] })).rejects.toThrow(/closed/);
    } finally {
      await rm(sourceDir, { recursive: true, force: true });
    }
  });
});

describe(`lab ${LAB}: the submission's extra files`, () => {
  it.each(["python", "typescript"] as const)(
    "the %s starter's contract/tools.json and CHANGELOG.md pass the engine's and the web's checks",
    async (lang) => {
      const entry = lang === "python" ? "server.py" : "server.ts";
      const files: Record<string, string> = {};
      for (const rel of [entry, "contract/tools.json", "CHANGELOG.md"])
        files[rel] = await readFile(lab(`starter/${lang}/${rel}`), "utf8");
      const engine = readSubmissionFiles(files, entry);
      expect(engine.ok ? [...engine.files.keys()].sort() : engine.error).toEqual(
        ["CHANGELOG.md", "contract/tools.json", entry].sort(),
      );
      expect(SubmittedFilesSchema.safeParse(files).success).toBe(true);
    },
  );
});

// The schemas lab, proven both ways through the real grader: the reference solutions pass every
// check, the starters fail with readable messages, and each broken fixture fails exactly the
// check it breaks (checks that depend on it are skipped), nothing else.
import path from "node:path";
import { describe, it } from "vitest";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, REPO_DIR } from "./grade-cli.ts";

const LAB = "schemas";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_125);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, name);

const skipped = { status: "skipped" as const, message: /failed first/ };
const fails = (message: RegExp) => ({ status: "fail" as const, message });

const starterFailures = {
  "create-ticket-schema-declared": fails(/title: string with minLength 3.*additionalProperties: false/),
  "rejects-out-of-range": fails(/accepted: estimate_hours is 41/),
  "rejects-unknown-enum": fails(/accepted: priority is/),
  "rejects-extra-property": fails(/is not a declared argument/),
  "rejects-bad-labels": fails(/accepted: labels has a duplicate/),
  "output-schema-declared": fails(/create_ticket declares no outputSchema/),
  "structured-content-valid": skipped,
  "text-content-mirror": skipped,
  "unknown-id-is-actionable-error": fails(/did not report an error/),
  "errors-hide-internals": fails(
    /get_ticket's error message contains a (Python traceback|JavaScript stack frame)/,
  ),
  "resource-uris-versioned": fails(/Unversioned resource URIs: tickets:\/\/\{id\}/),
  "ticket-resource-matches": skipped,
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
    // mcp 2.3.0's MCPServer answers an unknown prompt with code 0 (a `should`; the solution fixes it).
    checks: { ...starterFailures, "prompts-get-unknown": fails(/-32602/) },
  },
  {
    name: "starter (typescript)",
    dir: lab("starter/typescript"),
    lang: "typescript",
    status: "fail",
    checks: { ...starterFailures, "default-priority-applied": fails(/did not store medium/) },
  },
  {
    name: "stdout-print",
    dir: fixture("schemas-stdout-print"),
    lang: "python",
    status: "fail",
    checks: { "stdout-only-jsonrpc": fails(/ticket triage server starting on stdio/) },
  },
  {
    name: "constraints-only-in-code",
    dir: fixture("schemas-constraints-only-in-code"),
    lang: "python",
    status: "fail",
    checks: { "create-ticket-schema-declared": fails(/The published inputSchema is missing: title/) },
  },
  {
    name: "rejects-valid",
    dir: fixture("schemas-rejects-valid"),
    lang: "typescript",
    status: "fail",
    checks: {
      "valid-ticket-accepted": fails(/refused a valid ticket: estimate_hours must be between 1 and 40/),
      "rejects-out-of-range": skipped,
      "rejects-unknown-enum": skipped,
      "rejects-missing-required": skipped,
      "rejects-extra-property": skipped,
      "rejects-bad-labels": skipped,
      "default-priority-applied": skipped,
      "structured-content-valid": skipped,
      "text-content-mirror": skipped,
      "ticket-resource-matches": skipped,
    },
  },
  {
    name: "accepts-out-of-range",
    dir: fixture("schemas-accepts-out-of-range"),
    lang: "typescript",
    status: "fail",
    checks: {
      "rejects-out-of-range": fails(
        /accepted: estimate_hours is 0 \(minimum 1\); accepted: estimate_hours is 41/,
      ),
    },
  },
  {
    name: "accepts-unknown-enum",
    dir: fixture("schemas-accepts-unknown-enum"),
    lang: "typescript",
    status: "fail",
    checks: { "rejects-unknown-enum": fails(/accepted: component is/) },
  },
  {
    name: "accepts-missing-required",
    dir: fixture("schemas-accepts-missing-required"),
    lang: "typescript",
    status: "fail",
    checks: { "rejects-missing-required": fails(/accepted: title is missing/) },
  },
  {
    name: "accepts-extra-property",
    dir: fixture("schemas-accepts-extra-property"),
    lang: "typescript",
    status: "fail",
    checks: { "rejects-extra-property": fails(/accepted: "[a-z_]+" is not a declared argument/) },
  },
  {
    name: "duplicate-labels",
    dir: fixture("schemas-duplicate-labels"),
    lang: "python",
    status: "fail",
    checks: {
      "rejects-bad-labels": fails(/accepted: labels has a duplicate; accepted: labels has 6 entries/),
    },
  },
  {
    name: "default-ignored",
    dir: fixture("schemas-default-ignored"),
    lang: "typescript",
    status: "fail",
    checks: { "default-priority-applied": fails(/without a priority did not store medium/) },
  },
  {
    name: "no-output-schema",
    dir: fixture("schemas-no-output-schema"),
    lang: "python",
    status: "fail",
    checks: {
      "output-schema-declared": fails(/create_ticket declares no outputSchema/),
      "structured-content-valid": skipped,
      "text-content-mirror": skipped,
    },
  },
  {
    name: "invalid-structured-content",
    dir: fixture("schemas-invalid-structured-content"),
    lang: "typescript",
    status: "fail",
    checks: {
      "structured-content-valid": fails(/does not match its outputSchema: \/estimate_hours must be string/),
    },
  },
  {
    // A `should` failure is a warning: the lab still passes.
    name: "no-text-mirror",
    dir: fixture("schemas-no-text-mirror"),
    lang: "typescript",
    status: "pass",
    checks: { "text-content-mirror": fails(/text block is not its structuredContent as JSON/) },
  },
  {
    name: "unknown-id-not-actionable",
    dir: fixture("schemas-unknown-id-not-actionable"),
    lang: "python",
    status: "fail",
    checks: { "unknown-id-is-actionable-error": fails(/error does not name the id "TCK-\d+"/) },
  },
  {
    name: "stack-trace",
    dir: fixture("schemas-stack-trace"),
    lang: "typescript",
    status: "fail",
    checks: { "errors-hide-internals": fails(/contains a JavaScript stack frame/) },
  },
  {
    name: "unversioned-uris",
    dir: fixture("schemas-unversioned-uris"),
    lang: "python",
    status: "fail",
    checks: {
      "resource-uris-versioned": fails(/Unversioned resource URIs: schema:\/\/ticket, tickets:\/\/\{id\}/),
      "ticket-resource-matches": skipped,
    },
  },
  {
    name: "resource-mismatch",
    dir: fixture("schemas-resource-mismatch"),
    lang: "typescript",
    status: "fail",
    checks: { "ticket-resource-matches": fails(/tickets:\/\/v1\/TCK-\d+ differs from get_ticket's result/) },
  },
];

describe(`lab ${LAB}`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    assertGraded(await grade(LAB, want.dir, want.lang, SEED), want);
  });
});

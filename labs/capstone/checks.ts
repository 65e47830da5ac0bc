// What grades the capstone, area by area. Most checks are the ones the earlier labs proved, imported
// by id and run unchanged against the learner's ops desk: the grader plays all their roles at once
// (environment.ts). The capstone adds the checks only a whole server has: least privilege across
// its tools, logs for every call, honest annotations, a versioned contract and a changelog. The
// official conformance suite's scenarios (lab.yaml) come last, then the final-stage checks.
//
// Order matters: documents are deleted by delete-dry-run-by-default, the inventory API's circuit
// opens in circuit-breaker-opens (nothing calls get_stock after it), and key-rotation (final stage)
// switches the authorization server to a new key.
import type { CheckDefinition } from "../../conformance/check-api.ts";
import { getBuiltInCheck } from "../../conformance/check-catalog.ts";
import { withHttpHeaders } from "../../conformance/reusable-checks.ts";
import { checks as injectionChecks } from "../injection-defense/checks.ts";
import { checks as oauthChecks } from "../oauth-resource-server/checks.ts";
import { checks as resilienceChecks } from "../resilience-observability/checks.ts";
import { contractChecks } from "./contract-checks.ts";
import { graderHeaders } from "./environment.ts";
import { observabilityChecks } from "./observability-checks.ts";
import { schemaChecks } from "./schema-checks.ts";
import { securityChecks } from "./security-checks.ts";
import { AREAS } from "./world.ts";

export { environment } from "./environment.ts";

/** The checks of `from` with these ids, in this order, in `area`. A missing id is our bug: it throws at load. */
function pick(from: readonly CheckDefinition[], area: string, ids: string[]): CheckDefinition[] {
  return ids.map((id) => {
    const check = from.find((c) => c.id === id);
    if (!check) throw new Error(`capstone: no check "${id}" to import`);
    return { ...check, area };
  });
}

const builtIn = (area: string, ids: string[]) =>
  pick(
    ids.map((id) => getBuiltInCheck(id) as CheckDefinition),
    area,
    ids,
  );

const must = (check: CheckDefinition): CheckDefinition => ({ ...check, severity: "must" });

/** The built-in raw-HTTP transport checks, sent with the grader's bearer token (the server is protected). */
const transport = builtIn(AREAS.transport, [
  "http-session-id-issued",
  "http-session-id-format",
  "http-session-required",
  "http-session-ended-404",
  "http-origin-forbidden",
  "http-accept-negotiation",
  "http-protocol-version-header",
  "http-notification-accepted",
]).map((check) => {
  const authorized = withHttpHeaders(check, graderHeaders);
  // This lab is stateful 2025-11-25 Streamable HTTP: sessions are required, not only advised.
  return check.id === "http-session-id-issued" || check.id === "http-session-required"
    ? must(authorized)
    : authorized;
});

const [oauthFinal, oauthMain] = [
  pick(oauthChecks, AREAS.security, ["key-rotation", "authorization-server-boundary"]),
  pick(oauthChecks, AREAS.security, [
    "rejects-missing-token",
    "protected-resource-metadata",
    "accepts-valid-token",
    "verifies-signature",
    "rejects-alg-none",
    "rejects-hs256-key-confusion",
    "enforces-issuer",
    "enforces-audience",
    "enforces-expiry",
    "enforces-not-before",
  ]),
];

export const checks: CheckDefinition[] = [
  ...builtIn(AREAS.protocol, [
    "initialize-handshake",
    "initialize-version-negotiation",
    "server-info",
    "ping",
    "capabilities-match",
    "pagination-terminates",
    "tools-call-unknown-tool",
    "resources-list",
    "resources-read-listed",
    "resource-templates-list",
    "resources-read-unknown",
    "initialize-unknown-version",
  ]),
  ...builtIn(AREAS.schemas, [
    "tools-list-input-schemas",
    "tools-list-output-schemas",
    "tools-list-names",
    "tools-list-descriptions",
    "tools-call-invalid-arguments",
  ]),
  ...schemaChecks, // tools-listed, annotations-honest, structured-output-valid
  ...transport,
  ...oauthMain,
  // Documents under attack: the injection lab's path checks, then the capstone's fence check.
  ...pick(injectionChecks, AREAS.security, [
    "read-document-works",
    "path-traversal-refused",
    "absolute-path-refused",
    "encoded-traversal-refused",
    "symlink-escape-refused",
  ]),
  securityChecks.untrustedDelimited,
  securityChecks.scopesEnforced,
  securityChecks.insufficientScopeChallenge,
  ...pick(oauthChecks, AREAS.security, ["no-token-passthrough"]),
  ...pick(injectionChecks, AREAS.security, ["delete-dry-run-by-default"]),
  ...pick(resilienceChecks, AREAS.resilience, [
    "stock-from-upstream",
    "upstream-timeout",
    "retries-transient-errors",
    "no-retry-on-client-errors",
    "malformed-upstream-answer",
    "errors-user-safe",
  ]),
  ...pick(resilienceChecks, AREAS.observability, [
    "json-log-per-call",
    "correlation-id-shared",
    "metrics-counters",
  ]),
  ...observabilityChecks, // tool-call-logs
  // Last to call get_stock: from here on the circuit is open.
  ...pick(resilienceChecks, AREAS.resilience, ["circuit-breaker-opens", "upstream-rate-respected"]),
  ...contractChecks, // contract-matches-tools-list, changelog-versioned
  ...oauthFinal, // stage final: key-rotation, authorization-server-boundary
];

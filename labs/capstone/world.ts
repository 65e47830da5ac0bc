// The capstone's fixed contract: the minimum surface the grader calls (tools, parameters, scopes),
// the files of a versioned contract, and the areas the result groups its checks by. Everything the
// grader plays (authorization server, billing API, inventory API, attacker) comes from the labs
// that taught it: see environment.ts.
import type { ToolSurface } from "../../conformance/reusable-checks.ts";
import { SCOPES as OAUTH_SCOPES } from "../oauth-resource-server/world.ts";

/** Scopes of the ops desk. billing:read is the OAuth lab's, so its passthrough check applies as is. */
export const SCOPES = { read: "kb:read", write: "kb:write", billing: OAUTH_SCOPES.billing } as const;
export const ALL_SCOPES: string[] = [SCOPES.read, SCOPES.write, SCOPES.billing];

/** The tools the grader calls and their parameters (a server may offer more). */
export const SURFACE: ToolSurface = {
  whoami: {},
  read_document: { path: ["string", true] },
  delete_document: { path: ["string", true], dry_run: ["boolean", false] },
  get_stock: { sku: ["string", true] },
  billing_summary: {},
};

/** The scope each tool needs (null: any valid token). */
export const TOOL_SCOPES: Record<string, string | null> = {
  whoami: null,
  read_document: SCOPES.read,
  delete_document: SCOPES.write,
  get_stock: SCOPES.read,
  billing_summary: SCOPES.billing,
};

/** Tools that change nothing: their annotations must say readOnlyHint: true. */
export const READ_ONLY_TOOLS = ["whoami", "read_document", "get_stock", "billing_summary"];
/** The tool that destroys data: destructiveHint: true, never readOnlyHint. */
export const DESTRUCTIVE_TOOL = "delete_document";

/** The versioned contract, in the submission next to the server. */
export const CONTRACT_FILE = "contract/tools.json";
export const CHANGELOG_FILE = "CHANGELOG.md";

/** The areas of the readiness review, in the order the result shows them. */
export const AREAS = {
  protocol: "protocol",
  schemas: "schemas",
  transport: "transport",
  security: "security",
  resilience: "resilience",
  observability: "observability",
  contract: "contract",
} as const;

export const LESSONS = {
  checklist: "m8/production-checklist",
  publishing: "m8/publishing-readiness",
  release: "m8/docker-ci-release",
  leastPrivilege: "m5/least-privilege",
  threatModel: "m5/threat-model",
  logging: "m7/logging-tracing-metrics",
  outputs: "m3/designing-outputs",
} as const;

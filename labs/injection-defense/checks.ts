// What grades the injection-defense lab. The grader is the attacker: environment() (attacker.ts)
// plants documents, secrets outside the document root and symlinks to them, names hosts inside the
// sandbox and runs an allowed upstream and a canary; the checks below then call the tools with
// hostile input. Order matters: a check runs after the checks it requires.
import type { CheckDefinition } from "../../conformance/check-api.ts";
import { contentChecks, untrustedChecks } from "./content-checks.ts";
import { deleteChecks } from "./delete-checks.ts";
import { fetchChecks } from "./fetch-checks.ts";
import { pathChecks } from "./path-checks.ts";

export { environment } from "./attacker.ts";

export const checks: CheckDefinition[] = [
  ...contentChecks, // tools-listed, tool-definitions-stable
  ...pathChecks, // read-document-works, path-traversal-, absolute-path-, encoded-traversal-, symlink-escape-refused
  ...fetchChecks, // fetch-allowed-origin, fetch-allows-public, fetch-refuses-loopback/-private/-metadata, fetch-resolves-hostnames, fetch-redirect-refused
  ...untrustedChecks, // untrusted-content-delimited, descriptions-free-of-content
  ...deleteChecks, // delete-dry-run-by-default, delete-asks-through-elicitation (should)
];

// The built-in, lab-independent checks and how a lab selects them (lab.yaml protocolChecks).
import type { CheckDefinition } from "./check-api.ts";
import { httpAccept, httpNotification202, httpOrigin, httpProtocolVersion } from "./http-checks/headers.ts";
import {
  httpSessionEnded,
  httpSessionIdFormat,
  httpSessionIdIssued,
  httpSessionRequired,
} from "./http-checks/session.ts";
import { capabilitiesMatch, paginationTerminates } from "./protocol-checks/capabilities.ts";
import {
  initializeHandshake,
  initializeUnknownVersion,
  initializeVersion,
  ping,
  serverInfo,
  stdioShutdown,
} from "./protocol-checks/lifecycle.ts";
import { promptsGet, promptsGetUnknown, promptsList } from "./protocol-checks/prompts.ts";
import {
  resourcesList,
  resourcesReadListed,
  resourcesReadUnknown,
  resourceTemplatesList,
} from "./protocol-checks/resources.ts";
import { stdoutOnlyJsonRpc } from "./protocol-checks/stdout.ts";
import {
  toolsDescriptions,
  toolsInputSchemas,
  toolsInvalidArguments,
  toolsNames,
  toolsOutputSchemas,
  toolsUnknown,
} from "./protocol-checks/tools.ts";

/** In run order. Transport-specific ones say so in appliesTo. */
export const builtInChecks: readonly CheckDefinition[] = [
  initializeHandshake,
  initializeVersion,
  serverInfo,
  ping,
  capabilitiesMatch,
  paginationTerminates,
  toolsInputSchemas,
  toolsOutputSchemas,
  toolsNames,
  toolsDescriptions,
  toolsUnknown,
  toolsInvalidArguments,
  resourcesList,
  resourcesReadListed,
  resourceTemplatesList,
  resourcesReadUnknown,
  promptsList,
  promptsGet,
  promptsGetUnknown,
  httpSessionIdIssued,
  httpSessionIdFormat,
  httpSessionRequired,
  httpSessionEnded,
  httpOrigin,
  httpAccept,
  httpProtocolVersion,
  httpNotification202,
  initializeUnknownVersion,
  stdioShutdown,
  stdoutOnlyJsonRpc,
];

/** Always graded, whatever lab.yaml selects: without them nothing else means anything. */
const ALWAYS = new Set(["initialize-handshake", "stdout-only-jsonrpc"]);

/**
 * Left out of a stdio lab's "all" (list them by id to grade them): over stdio they need a second
 * server process, which adds about half a second to every run for something the SDKs get right.
 * check-server always runs them; over HTTP they are cheap (a new session) and part of "all".
 */
export const STDIO_OPT_IN = new Set(["initialize-unknown-version"]);

export function getBuiltInCheck(id: string): CheckDefinition | undefined {
  return builtInChecks.find((c) => c.id === id);
}

export type Selection = { ok: true; value: CheckDefinition[] } | { ok: false; error: string };

/** The built-in checks a lab asked for ("all" or ids), plus the ones that always run. */
export function selectBuiltInChecks(
  selection: "all" | readonly string[],
  transport: "stdio" | "http",
): Selection {
  if (selection === "all") {
    return { ok: true, value: builtInChecks.filter((c) => transport === "http" || !STDIO_OPT_IN.has(c.id)) };
  }
  const unknown = selection.filter((id) => !getBuiltInCheck(id));
  if (unknown.length) {
    return {
      ok: false,
      error: `unknown protocol check id${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")} (known: ${builtInChecks.map((c) => c.id).join(", ")})`,
    };
  }
  const wanted = new Set([...selection, ...ALWAYS]);
  return { ok: true, value: builtInChecks.filter((c) => wanted.has(c.id)) };
}

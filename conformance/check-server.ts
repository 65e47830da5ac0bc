// check-server: the lab-independent protocol checks against any MCP server on this machine
// (a URL, or a command speaking stdio). Not sandboxed: it is the user's own server.

import { builtInChecks } from "./check-catalog.ts";
import type { GradeEventListener } from "./events.ts";
import { gradeTarget, plannedChecks } from "./grade.ts";
import { localCommandTarget, type ServerTarget, urlTarget } from "./harness/server-target.ts";
import { officialSuiteChecks } from "./official-suite.ts";
import { randomSeed } from "./random.ts";
import type { GradeResult } from "./result.ts";

export interface CheckServerOptions {
  /** A Streamable HTTP endpoint, e.g. http://127.0.0.1:8000/mcp ... */
  url?: string;
  /** ... or a shell command that starts a stdio server, e.g. "uv run server.py". */
  command?: string;
  cwd?: string;
  /**
   * Scenarios of the official conformance suite to run after the built-in checks, one `must` check
   * each (`suite-<scenario>`); HTTP servers only. Names are not validated here (the CLI does).
   */
  suite?: readonly string[];
  seed?: number;
  startTimeoutMs?: number;
  checkTimeoutMs?: number;
  onEvent?: GradeEventListener;
}

export async function checkServer(options: CheckServerOptions): Promise<GradeResult> {
  if ((options.url === undefined) === (options.command === undefined))
    throw new Error("give either url or command");
  const seed = options.seed ?? randomSeed();
  const onEvent = options.onEvent ?? (() => undefined);
  const suite = options.suite?.length
    ? officialSuiteChecks({ scenarios: [...options.suite], expectedFailures: [], severity: "must" })
    : [];
  const checks = [...builtInChecks, ...suite];
  onEvent({ type: "started", lab: null, lang: null, seed, checks: plannedChecks(checks) });
  onEvent({ type: "phase", phase: "starting-server" });
  const target: ServerTarget = options.url
    ? urlTarget(options.url)
    : localCommandTarget(options.command as string, { cwd: options.cwd });
  const { result } = await gradeTarget(target, {
    lab: null,
    lang: null,
    seed,
    limits: null,
    checks,
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    checkTimeoutMs: options.checkTimeoutMs ?? 5000,
    onEvent,
  });
  return result;
}

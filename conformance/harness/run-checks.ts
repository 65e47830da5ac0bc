// Runs checks one after another against one connected server: order (final stage last),
// prerequisites, per-check timeouts, and the outcome mapping pass / fail / error / skipped.
import type { CheckDefinition } from "../check-api.ts";
import { isCheckFailure, isMcpRequestError, type McpRequestError } from "../check-expect.ts";
import type { GradeEventListener } from "../events.ts";
import type { CheckResult } from "../result.ts";
import { describeExchange, type RecordedContext } from "./context.ts";
import { describeServerRequest, type ServerRequestRecord } from "./server-requests.ts";

export interface RunChecksOptions {
  checks: CheckDefinition[];
  defaultTimeoutMs: number;
  /** Builds the context for one check (its own RNG stream, signal and timeout). */
  makeContext(check: CheckDefinition, signal: AbortSignal, timeoutMs: number): RecordedContext;
  /** Why the server can no longer be graded (it exited), or null while it runs. */
  serverGone(): string | null;
  onEvent: GradeEventListener;
}

export interface RunChecksOutcome {
  results: CheckResult[];
  /** The check that was running when the server went away, if it did. */
  goneDuring: string | null;
}

/** Final-stage checks (shutdown) go last; the rest keep their order. */
export function orderChecks(checks: CheckDefinition[]): CheckDefinition[] {
  return [...checks.filter((c) => c.stage !== "final"), ...checks.filter((c) => c.stage === "final")];
}

function base(check: CheckDefinition): Omit<CheckResult, "status" | "message" | "durationMs"> {
  return {
    id: check.id,
    title: check.title,
    severity: check.severity,
    ...(check.lesson ? { lesson: check.lesson } : {}),
    ...(check.specRef ? { specRef: check.specRef } : {}),
    ...(check.area ? { area: check.area } : {}),
  };
}

export function skippedResult(check: CheckDefinition, message: string): CheckResult {
  return { ...base(check), status: "skipped", message, durationMs: 0 };
}

function requestFailureMessage(err: McpRequestError): string {
  switch (err.kind) {
    case "rpc-error":
      return `The server answered ${err.method} with JSON-RPC error ${err.code}: ${err.message}`;
    case "timeout":
      return `The server did not answer ${err.method} in time. ${err.message}`;
    case "closed":
      return `The server stopped answering: ${err.message}`;
    case "invalid-answer":
      return err.message;
  }
}

const answerOf = (r: ServerRequestRecord): string =>
  !r.answer ? " (unanswered)" : "error" in r.answer ? ` -> error ${r.answer.error.code}` : " -> answered";

/** The server->client requests of a failed check, after what was sent: the learner sees both. */
function withServerRequests(sent: string | undefined, requests: ServerRequestRecord[]): string | undefined {
  if (requests.length === 0) return sent;
  const shown = requests.slice(0, 5).map((r) => `${describeServerRequest(r)}${answerOf(r)}`);
  if (requests.length > 5) shown.push(`${requests.length - 5} more`);
  return `${sent ?? "(no request)"}; meanwhile the server sent ${shown.join(", ")}`;
}

async function runOne(check: CheckDefinition, options: RunChecksOptions): Promise<CheckResult> {
  const timeoutMs = check.timeoutMs ?? options.defaultTimeoutMs;
  const controller = new AbortController();
  const { ctx, lastExchange, rawConnections } = options.makeContext(check, controller.signal, timeoutMs);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve("timeout");
    }, timeoutMs);
  });
  const sentNow = () => {
    const last = lastExchange();
    return withServerRequests(last ? describeExchange(last) : undefined, ctx.serverRequests());
  };
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => check.run(ctx)), timeout]);
    if (outcome === "timeout") {
      const sent = sentNow();
      return {
        ...base(check),
        status: "fail",
        message: `The check did not finish within ${timeoutMs / 1000} s${sent ? ` (last request: ${sent})` : ""}.`,
        hint:
          check.hint ?? "A request took too long: look for a blocking call or a handler that never returns.",
        ...(sent ? { sent } : {}),
        durationMs: elapsed(),
      };
    }
    return { ...base(check), status: "pass", message: outcome || "ok", durationMs: elapsed() };
  } catch (err) {
    if (isCheckFailure(err)) {
      const sent = err.sent ? withServerRequests(err.sent, ctx.serverRequests()) : sentNow();
      const hint = err.hint ?? check.hint;
      return {
        ...base(check),
        status: "fail",
        message: err.message,
        ...(hint ? { hint } : {}),
        ...(err.expected !== undefined ? { expected: err.expected } : {}),
        ...(err.actual !== undefined ? { actual: err.actual } : {}),
        ...(sent ? { sent } : {}),
        durationMs: elapsed(),
      };
    }
    if (isMcpRequestError(err)) {
      const last = lastExchange();
      const sent = withServerRequests(last ? describeExchange(last) : err.method, ctx.serverRequests());
      const actual =
        err.kind === "rpc-error"
          ? { code: err.code, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) }
          : undefined;
      return {
        ...base(check),
        status: "fail",
        message: requestFailureMessage(err),
        ...(check.hint ? { hint: check.hint } : {}),
        ...(actual ? { actual: JSON.stringify(actual) } : {}),
        sent,
        durationMs: elapsed(),
      };
    }
    // Anything else is a bug in the check (ours), never the learner's fault.
    options.onEvent({
      type: "log",
      message: `internal error in check ${check.id}: ${(err as Error)?.stack ?? String(err)}`,
    });
    return {
      ...base(check),
      status: "error",
      // The detail (which may name host paths) goes to the log, never to the learner.
      message: "The grader failed inside this check (our bug, not yours). The run will be retried.",
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
    await Promise.all(rawConnections.map((c) => c.close().catch(() => undefined)));
  }
}

export async function runChecks(options: RunChecksOptions): Promise<RunChecksOutcome> {
  const ordered = orderChecks(options.checks);
  const results: CheckResult[] = [];
  const byId = new Map<string, CheckResult>();
  const planned = new Set(ordered.map((c) => c.id));
  const rootCause = new Map<string, string>();
  let goneDuring: string | null = null;
  for (const [index, check] of ordered.entries()) {
    const total = ordered.length;
    let result: CheckResult;
    const gone = options.serverGone();
    const unmet = (check.requires ?? []).find((id) => planned.has(id) && byId.get(id)?.status !== "pass");
    // Name the check that actually failed, not one that was itself skipped because of it.
    const root = unmet ? (rootCause.get(unmet) ?? unmet) : undefined;
    if (gone) {
      result = skippedResult(check, `skipped: ${gone}`);
    } else if (unmet && root) {
      result = skippedResult(check, `skipped: ${root} failed first`);
      rootCause.set(check.id, root);
    } else {
      options.onEvent({ type: "check-started", id: check.id, title: check.title, index, total });
      result = await runOne(check, options);
      const goneNow = options.serverGone();
      if (goneNow && !goneDuring && check.stage !== "final") goneDuring = check.id;
    }
    results.push(result);
    byId.set(check.id, result);
    options.onEvent({ type: "check-finished", index, total, result });
  }
  return { results, goneDuring };
}

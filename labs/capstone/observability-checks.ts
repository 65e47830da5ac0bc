// Logs an on-call engineer can query: one JSON line per tool call, allowed, failed or denied, naming
// the caller, the outcome, the duration and a correlation id; never a bearer token.

import { setTimeout as delay } from "node:timers/promises";
import { type CheckContext, type CheckDefinition, CheckFailure } from "../../conformance/check-api.ts";
import { quietStderrMark } from "../../conformance/stderr-mark.ts";
import { attempt } from "../injection-defense/calls.ts";
import { callTool, openSession } from "../oauth-resource-server/probes.ts";
import { capstone } from "./environment.ts";
import { AREAS, LESSONS, SCOPES } from "./world.ts";

interface CallLine {
  tool: string;
  sub: unknown;
  outcome: string;
  durationMs: unknown;
  correlationId: unknown;
  raw: string;
}

/** JSON lines on stderr that log a tool call: a string `tool` and a string `outcome`. */
export function callLines(stderr: string): CallLine[] {
  const lines: CallLine[] = [];
  for (const raw of stderr.split("\n")) {
    const text = raw.trim();
    if (!text.startsWith("{")) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const o = value as Record<string, unknown>;
    if (!o || typeof o.tool !== "string" || typeof o.outcome !== "string") continue;
    lines.push({
      tool: o.tool,
      sub: o.sub,
      outcome: o.outcome,
      durationMs: o.duration_ms,
      correlationId: o.correlation_id,
      raw: text,
    });
  }
  return lines;
}

type Kind = "ok" | "error" | "denied";
const kindOf = (outcome: string): Kind =>
  /^(ok|success)$/i.test(outcome)
    ? "ok"
    : /den(y|ied)|forbid|refus|unauthori/i.test(outcome)
      ? "denied"
      : "error";

const SHAPE =
  '{"ts": ..., "level": "info", "event": "tool_call", "tool": "read_document", "sub": "<token sub>", "outcome": "ok|error|denied", "duration_ms": 3.2, "correlation_id": "4f2a..."}';

const toolCallLogs: CheckDefinition = {
  id: "tool-call-logs",
  title:
    "one JSON line per tool call on stderr, denied calls included: tool, sub, outcome, duration_ms, correlation_id",
  severity: "must",
  lesson: LESSONS.logging,
  // The denied call it logs is denied only where scopes are enforced.
  requires: ["scopes-enforced", "read-document-works"],
  async run(ctx: CheckContext) {
    const lab = capstone(ctx);
    const plain = lab.plan.docs.plain.requestPath;
    const missing = `${ctx.random.id("missing")}.md`;
    const reader = { sub: ctx.random.id("auditor"), tenant: lab.tenants[0].id, scopes: [SCOPES.read] };
    const from = await quietStderrMark(ctx);
    await ctx.callTool("whoami", {});
    await ctx.callTool("read_document", { path: plain });
    await attempt(ctx, "read_document", { path: missing });
    const session = await openSession(ctx, await lab.userToken(reader), `${reader.sub} (kb:read)`);
    await callTool(ctx, session, "delete_document", { path: plain, dry_run: true });
    const calls: Array<{ tool: string; sub: string; kind: Kind; what: string }> = [
      { tool: "whoami", sub: lab.mainSubject, kind: "ok", what: "whoami (allowed)" },
      { tool: "read_document", sub: lab.mainSubject, kind: "ok", what: `read_document ${plain} (found)` },
      {
        tool: "read_document",
        sub: lab.mainSubject,
        kind: "error",
        what: `read_document ${missing} (no such document)`,
      },
      {
        tool: "delete_document",
        sub: reader.sub,
        kind: "denied",
        what: "delete_document with kb:read only (denied)",
      },
    ];
    // stderr reaches the grader through a pipe, a moment after the answer it belongs to.
    const deadline = Date.now() + 1500;
    let lines = callLines(ctx.stderr().slice(from));
    while (lines.length < calls.length && Date.now() < deadline) {
      await delay(25, undefined, { signal: ctx.signal });
      lines = callLines(ctx.stderr().slice(from));
    }
    const sent = `as ${lab.mainSubject}: ${calls
      .slice(0, 3)
      .map((c) => c.what)
      .join(", ")}; as ${reader.sub}: ${calls[3].what}`;
    const seen = lines.length
      ? lines.map((l) => l.raw)
      : ctx.stderr().slice(from).split("\n").filter(Boolean).slice(-8);
    const problems: string[] = [];
    if (lines.length !== calls.length)
      problems.push(
        lines.length === 0
          ? `no JSON line naming a tool and an outcome for ${calls.length} tool calls`
          : `${calls.length} tool calls produced ${lines.length} lines${lines.length > calls.length ? " (one per call, not per attempt or per layer)" : ""}`,
      );
    for (const call of calls) {
      const line = lines.find(
        (l) => l.tool === call.tool && l.sub === call.sub && kindOf(l.outcome) === call.kind,
      );
      if (!line) {
        problems.push(
          `no line for ${call.what} with tool "${call.tool}", sub "${call.sub}" and a ${call.kind} outcome`,
        );
        continue;
      }
      if (typeof line.correlationId !== "string" || line.correlationId.length < 8)
        problems.push(`the line for ${call.what} has no correlation_id string (8+ characters)`);
      if (typeof line.durationMs !== "number" || line.durationMs < 0)
        problems.push(`the line for ${call.what} has no numeric duration_ms`);
    }
    const ids = lines.map((l) => l.correlationId);
    if (problems.length === 0 && new Set(ids).size !== ids.length)
      problems.push("calls share a correlation_id");
    if (problems.length) {
      throw new CheckFailure(`The tool-call log falls short: ${problems.join("; ")}.`, {
        sent,
        expected: `one line per call on stderr, e.g. ${SHAPE}`,
        actual: seen.join("\n").slice(0, 2000) || "(nothing on stderr)",
        hint: "Log once per tools/call where its fate is decided: the scope gate for denials, a wrapper around the tool handler for the rest. The caller comes from the verified token.",
      });
    }
    // Tokens in logs are tokens anyone with log access can replay.
    const stderr = ctx.stderr();
    const leaked = lab.as.issuedTokens().find((t) => stderr.includes(t.slice(t.lastIndexOf(".") + 1)));
    if (leaked) {
      const issued = lab.as.issuedFor(leaked);
      throw new CheckFailure(
        `Your stderr contains a bearer token (${issued?.purpose === "service" ? "your billing API token" : `the token of ${String(issued?.sub)}`}).`,
        {
          hint: "Log sub, client_id and jti, never the token; turn off access logs that print headers or query strings.",
        },
      );
    }
    return `${lines.length} lines for ${calls.length} calls (ok, ok, error, denied), each with sub, duration_ms and its own correlation_id; no token in the logs`;
  },
};

export const observabilityChecks: CheckDefinition[] = [{ ...toolCallLogs, area: AREAS.observability }];

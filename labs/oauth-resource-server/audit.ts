// The audit trail the lab asks for: one JSON object per line on stderr for every authorization
// decision, with at least sub, tool, decision ("allow" | "deny") and reason.
import { setTimeout as delay } from "node:timers/promises";
import type { CheckContext } from "../../conformance/check-api.ts";

export interface AuditLine {
  sub: unknown;
  tool: unknown;
  decision: unknown;
  reason: unknown;
  raw: string;
}

/** The audit lines in `text`: JSON objects that have a `decision`. Other stderr lines are ignored. */
export function auditLines(text: string): AuditLine[] {
  const lines: AuditLine[] = [];
  for (const raw of text.split("\n")) {
    const trimmed = raw.trim();
    if (!trimmed.startsWith("{")) continue;
    try {
      const value = JSON.parse(trimmed) as Record<string, unknown>;
      if (typeof value === "object" && value !== null && "decision" in value) {
        lines.push({
          sub: value.sub,
          tool: value.tool,
          decision: value.decision,
          reason: value.reason,
          raw: trimmed,
        });
      }
    } catch {
      // not JSON: a log line of another kind
    }
  }
  return lines;
}

/**
 * The audit lines written after stderr offset `from`, once `enough` holds or `ms` passed: stderr
 * reaches the grader through a pipe, a moment after the answer it belongs to.
 */
export async function auditSince(
  ctx: CheckContext,
  from: number,
  enough: (lines: AuditLine[]) => boolean,
  ms = 1500,
): Promise<AuditLine[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const lines = auditLines(ctx.stderr().slice(from));
    if (enough(lines) || Date.now() >= deadline) return lines;
    await delay(25, undefined, { signal: ctx.signal });
  }
}

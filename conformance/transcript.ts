// The human transcript: `[grader]`, `[server stderr]` (or `[test output]`), `-> / <-` JSON-RPC lines as they happen,
// then a table of checks with what was sent, expected, came back, a hint, the lesson and the spec.
import type { GradeEvent } from "./events.ts";
import type { CheckResult, GradeResult } from "./result.ts";

export interface TranscriptOptions {
  write(text: string): void;
  color: boolean;
  /** Print JSON-RPC traffic (-> / <-); off with --quiet. */
  showTraffic: boolean;
  /** Longest JSON-RPC line printed. */
  maxLine?: number;
}

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

export function createTranscript(options: TranscriptOptions): (event: GradeEvent) => void {
  const { write, color } = options;
  const maxLine = options.maxLine ?? 240;
  const line = (prefix: string, text: string) => write(`${prefix} ${text}\n`);
  const grader = (text: string) => line(paint(color, "36", "[grader]"), text);
  let stderrBuffer = "";
  let stderrLabel = "[server stderr]";
  const clip = (s: string) => (s.length > maxLine ? `${s.slice(0, maxLine)}…` : s);
  return (event) => {
    switch (event.type) {
      case "started":
        grader(
          `lab ${event.lab ?? "(protocol checks)"}, ${event.lang ?? "?"}, seed ${event.seed}, ${event.checks.length} checks`,
        );
        break;
      case "phase":
        if (event.phase !== "validating") grader(event.phase.replace("-", " "));
        break;
      case "log":
        grader(event.message);
        break;
      case "stderr": {
        stderrLabel = event.source === "tests" ? "[test output]" : "[server stderr]";
        stderrBuffer += event.chunk;
        const parts = stderrBuffer.split("\n");
        stderrBuffer = parts.pop() ?? "";
        for (const p of parts) line(paint(color, "33", stderrLabel), p);
        break;
      }
      case "trace":
        if ("stdout" in event.entry) {
          line(
            paint(color, "31", "[server stdout, NOT JSON-RPC]"),
            JSON.stringify(event.entry.stdout).slice(0, maxLine),
          );
        } else if (options.showTraffic) {
          write(
            `${paint(color, "2", event.entry.dir === "c2s" ? "->" : "<-")} ${clip(JSON.stringify(event.entry.msg))}\n`,
          );
        }
        break;
      case "check-started":
        grader(`check ${event.index + 1}/${event.total}: ${event.id}`);
        break;
      case "check-finished": {
        const r = event.result;
        if (r.status !== "skipped" || r.message !== "skipped: the server did not start") {
          grader(`${statusMark(r, color)} ${r.id}: ${firstLine(r.message)}`);
        }
        break;
      }
      case "finished":
        if (stderrBuffer) line(paint(color, "33", stderrLabel), stderrBuffer);
        stderrBuffer = "";
        write(`\n${renderSummary(event.result, color)}`);
        break;
    }
  };
}

const firstLine = (s: string) => s.split("\n")[0];

function statusMark(r: CheckResult, color: boolean): string {
  switch (r.status) {
    case "pass":
      return paint(color, "32", "PASS");
    case "fail":
      return r.severity === "should" ? paint(color, "33", "WARN") : paint(color, "31", "FAIL");
    case "error":
      return paint(color, "35", "ERROR");
    case "skipped":
      return paint(color, "2", "SKIP");
  }
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

const indent = (s: string, by = "      ") => s.split("\n").join(`\n${by}`);

export function renderSummary(result: GradeResult, color = false): string {
  const out: string[] = [];
  const width = Math.max(10, ...result.checks.map((c) => c.id.length));
  if (result.checks.length) {
    out.push(`${pad("check", width)}  ${pad("severity", 8)}  status`);
    for (const c of result.checks) {
      out.push(
        `${pad(c.id, width)}  ${pad(c.severity, 8)}  ${statusMark(c, color)}  ${firstLine(c.message).slice(0, 100)}`,
      );
    }
    out.push("");
  }
  for (const c of result.checks.filter((x) => x.status === "fail" || x.status === "error")) {
    out.push(`${statusMark(c, color)} ${c.id} (${c.severity}): ${c.title}`);
    out.push(`      ${indent(c.message)}`);
    if (c.sent) out.push(`      sent:     ${indent(c.sent)}`);
    if (c.expected) out.push(`      expected: ${indent(c.expected)}`);
    if (c.actual) out.push(`      actual:   ${indent(c.actual)}`);
    if (c.hint) out.push(`      hint:     ${indent(c.hint)}`);
    const refs = [c.lesson ? `lesson ${c.lesson}` : "", c.specRef ? `spec ${c.specRef}` : ""]
      .filter(Boolean)
      .join(" · ");
    if (refs) out.push(`      see:      ${refs}`);
    out.push("");
  }
  const status =
    result.status === "pass"
      ? paint(color, "32", "PASS")
      : result.status === "fail"
        ? paint(color, "31", "FAIL")
        : paint(color, "35", "ERROR");
  out.push(
    `${status}  verdict: ${result.verdict}  score: ${result.score}/${result.maxScore}  ${(result.durationMs / 1000).toFixed(2)} s  seed ${result.seed}`,
  );
  if (result.message) out.push(result.message);
  if (result.readiness) {
    const areas = result.readiness.areas.map((a) => `${a.area} ${a.passed}/${a.total}`).join(", ");
    out.push(`readiness: ${result.readiness.score}/100 (${areas})`);
  }
  const rt = Object.entries(result.runtime)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  out.push(`runtime: ${rt}`);
  if (result.limits) {
    out.push(
      `limits: ${result.limits.wallMs / 1000} s wall, ${result.limits.memoryMb} MB, ${result.limits.pids} processes, ${result.limits.outputKb} KB output`,
    );
  }
  if (result.stderrTruncated) out.push(`stderr: output truncated at ${result.limits?.outputKb ?? "?"} KB`);
  if (result.traceTruncated) out.push("trace: truncated (too many messages)");
  return `${out.join("\n")}\n`;
}

// Rows as the grading and quiz paths store them, for gradebook unit tests (the e2e test goes through
// the real paths). Results are built with the result format's own schema, so a shape change breaks here.
import {
  type CheckResult,
  GradeResultSchema,
  statusForVerdict,
  type Verdict,
} from "../../../conformance/result.ts";
import type { Db } from "../../../lib/db/client.ts";

export function gradeResult(labId: string, verdict: Verdict, checks: Array<[string, CheckResult["status"]]>) {
  return GradeResultSchema.parse({
    version: 1,
    lab: labId,
    lang: "python",
    seed: 7,
    status: statusForVerdict(verdict),
    verdict,
    score: checks.filter(([, status]) => status === "pass").length,
    maxScore: checks.length,
    durationMs: 900,
    runtime: { python: "3.11.2", mcp: "2.3.0", protocolVersion: "2025-11-25" },
    limits: { wallMs: 20000, memoryMb: 256, pids: 64, outputKb: 256 },
    checks: checks.map(([id, status]) => ({
      id,
      title: `check ${id}`,
      severity: "must",
      status,
      message: status === "pass" ? "ok" : `${id} went wrong`,
      expected: status === "fail" ? "the right thing" : undefined,
      actual: status === "fail" ? "the wrong thing" : undefined,
      hint: status === "fail" ? `fix ${id}` : undefined,
      durationMs: 3,
    })),
    stderr: "server started\n",
    stderrTruncated: false,
    trace: [
      { dir: "c2s", t: 0, msg: { jsonrpc: "2.0", id: 0, method: "initialize", params: {} } },
      { dir: "s2c", t: 12, msg: { jsonrpc: "2.0", id: 0, result: { protocolVersion: "2025-11-25" } } },
      { dir: "s2c", t: 14, stdout: "debug: hello" },
    ],
    traceTruncated: false,
  });
}

let keys = 0;

export async function storeSubmission(
  db: Db,
  userId: string,
  labId: string,
  verdict: Verdict | null,
  options: {
    kind?: "run" | "submit";
    checks?: Array<[string, CheckResult["status"]]>;
    createdAt?: Date;
    status?: string;
    files?: Record<string, string>;
  } = {},
) {
  const checks = options.checks ?? [
    ["a", verdict === "passed" ? "pass" : "fail"],
    ["b", "pass"],
  ];
  const result = verdict ? gradeResult(labId, verdict, checks) : null;
  return db.submission.create({
    data: {
      userId,
      labId,
      lang: "python",
      kind: options.kind ?? "submit",
      files: JSON.stringify(options.files ?? { "server.py": "print('hi')\n" }),
      idempotencyKey: `k${++keys}`,
      seed: 7,
      status: options.status ?? (verdict ? (verdict === "infra-error" ? "error" : "done") : "queued"),
      verdict,
      score: result?.score ?? null,
      maxScore: result?.maxScore ?? null,
      result: result ? JSON.stringify(result) : null,
      createdAt: options.createdAt,
      finishedAt: verdict ? new Date() : null,
    },
  });
}

export async function storeQuizAttempt(
  db: Db,
  userId: string,
  quizId: string,
  score: number | null,
  passed: boolean | null,
) {
  return db.quizAttempt.create({
    data: {
      userId,
      quizId,
      paper: "[]",
      maxScore: 10,
      score,
      passed,
      status: passed === null ? "open" : "submitted",
      submittedAt: passed === null ? null : new Date(),
    },
  });
}

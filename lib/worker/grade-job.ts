// The grading job: load the submission, write its files into a fresh temp dir, run the engine with
// live events, store each event and write the result once. Infra errors (ours, not the learner's)
// are handed back to the queue for another attempt and never count; the last attempt records them.
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GradeEventListener } from "../../conformance/events.ts";
import { type GradeResult, RESULT_VERSION } from "../../conformance/result.ts";
import type { Db } from "../db/client.ts";
import { log } from "../log.ts";
import type { JobHandler, QueueDepth } from "../queue/types.ts";
import { FilePathSchema, parseStoredFiles } from "../submissions/files.ts";
import { notifySubmission } from "../submissions/notify.ts";
import { claimSubmission, finishOnce, releaseForRetry } from "../submissions/store.ts";
import { EventSink } from "./event-sink.ts";

export interface GradeRequest {
  labId: string;
  dir: string;
  lang: "python" | "typescript";
  seed: number;
  onEvent: GradeEventListener;
}

/** The engine, as the worker calls it (lib/worker/engine.ts adapts conformance/). */
export type Grader = (request: GradeRequest) => Promise<GradeResult>;

/** Both queues deliver a job at most this many times (DbJobQueue maxAttempts, pg-boss retryLimit + 1). */
export const MAX_GRADING_ATTEMPTS = 3;

export interface GradingHandlerOptions {
  db: Db;
  grade: Grader;
  depth?: () => Promise<QueueDepth>;
  maxAttempts?: number;
}

export class RetryableGradingError extends Error {
  readonly code = "INFRA_ERROR_RETRY";
}

export function infraErrorResult(
  submission: { labId: string; lang: string; seed: number },
  message: string,
  durationMs: number,
): GradeResult {
  return {
    version: RESULT_VERSION,
    lab: submission.labId,
    lang: submission.lang === "typescript" ? "typescript" : "python",
    seed: submission.seed,
    status: "error",
    verdict: "infra-error",
    message,
    score: 0,
    maxScore: 0,
    durationMs,
    runtime: {},
    limits: null,
    checks: [],
    stderr: "",
    stderrTruncated: false,
    trace: [],
    traceTruncated: false,
  };
}

function badSubmissionResult(
  submission: { labId: string; lang: string; seed: number },
  message: string,
): GradeResult {
  return { ...infraErrorResult(submission, message, 0), verdict: "bad-submission" };
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<string | null> {
  for (const [name, content] of Object.entries(files)) {
    if (!FilePathSchema.safeParse(name).success) return `"${name}" is not an acceptable file name.`;
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content, "utf8");
  }
  return null;
}

export function createGradingHandler(options: GradingHandlerOptions): JobHandler {
  const maxAttempts = options.maxAttempts ?? MAX_GRADING_ATTEMPTS;
  return async (payload, context) => {
    const { db } = options;
    const jlog = log.child({
      submissionId: payload.submissionId,
      jobId: context.jobId,
      attempt: context.attempt,
    });
    const outcome = await claimSubmission(db, payload.submissionId);
    if ("skipped" in outcome) {
      jlog.info({ skipped: outcome.skipped }, "worker: nothing to grade");
      return;
    }
    const claim = outcome.claimed;
    const { submission } = claim;
    const claimedAt = Date.now();
    const depth = await options.depth?.().catch(() => undefined);
    jlog.info(
      {
        labId: submission.labId,
        lang: submission.lang,
        kind: submission.kind,
        workerId: context.workerId,
        queueWaitMs: claimedAt - submission.createdAt.getTime(),
        queueDepth: depth,
      },
      "grading started",
    );

    const sink = new EventSink(db, claim);
    sink.push({ type: "attempt", attempt: context.attempt });
    const dir = await mkdtemp(path.join(tmpdir(), "mcp-lab-submission-"));
    let result: GradeResult;
    try {
      const lang = submission.lang === "typescript" ? "typescript" : "python";
      const refused = await writeFiles(dir, parseStoredFiles(submission.files));
      if (refused) result = badSubmissionResult(submission, refused);
      else {
        try {
          result = await options.grade({
            labId: submission.labId,
            dir,
            lang,
            seed: submission.seed,
            onEvent: (event) => sink.fromGrade(event),
          });
        } catch (error) {
          jlog.error({ err: error }, "worker: the engine threw");
          result = infraErrorResult(
            submission,
            "The grader failed before it could finish (our fault, not yours); it does not count.",
            Date.now() - claimedAt,
          );
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }

    await sink.flush();
    if (sink.superseded) {
      jlog.warn("worker: another attempt owns this submission now; dropping this run's result");
      return;
    }
    if (result.verdict === "infra-error" && context.attempt < maxAttempts) {
      const released = await releaseForRetry(
        db,
        claim,
        `We could not grade this run (${result.message ?? "infra error"}); trying again. It does not count.`,
      );
      notifySubmission(submission.id);
      jlog.warn({ message: result.message, released }, "grading hit an infra error; retrying");
      if (released) throw new RetryableGradingError(result.message ?? "infra error");
      return;
    }
    const written = await finishOnce(db, claim, result);
    notifySubmission(submission.id);
    const finishedAt = Date.now();
    if (!written) {
      jlog.warn("worker: the result was already written by another attempt");
      return;
    }
    jlog.info(
      {
        verdict: result.verdict,
        score: result.score,
        maxScore: result.maxScore,
        gradingMs: finishedAt - claimedAt,
        latencyMs: finishedAt - submission.createdAt.getTime(),
        engineMs: result.durationMs,
      },
      "grading finished",
    );
  };
}

export function newWorkerId(prefix: string): string {
  return `${prefix}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

// Grades a learner's test suite (lab.yaml `kind: test-suite`) by mutation: the suite runs in the
// sandbox (LaunchRequest mode "tests") once against the lab's subject server as shipped, and once
// against each variant from labs/<id>/mutants.ts. It must pass on the original, fail on every
// breaking variant and pass on every compatible one: one check each. Each run is a fresh sandbox
// with a fresh copy of the files, so what one run does (hang, delete files) touches no other run.
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import {
  type ExitInfo,
  isSandboxError,
  launchServer,
  type RunningServer,
  type SandboxLimits,
  type SandboxOptions,
} from "../sandbox/index.ts";
import type { GradeEventListener, GradeTimings, PlannedCheck } from "./events.ts";
import type { LabConfig, LabLanguage } from "./lab-config.ts";
import { importLabModule } from "./lab-modules.ts";
import {
  type CheckResult,
  type GradeResult,
  GradeResultSchema,
  RESULT_VERSION,
  statusForVerdict,
  type Verdict,
} from "./result.ts";
import {
  type SubjectVariant,
  SubjectVariantSchema,
  type VariantsFactory,
  variantCheckId,
} from "./test-suite-api.ts";
import {
  type ClassifiedRun,
  classifyRun,
  describeOutcome,
  flagged,
  outcomeSummary,
  parseRunnerStdout,
  type SuiteOutcome,
} from "./test-suite-report.ts";
import { unifiedDiff } from "./text-diff.ts";

export const ORIGINAL_CHECK_ID = "suite-passes-on-original";

export interface TestSuiteGradeOptions {
  lab: LabConfig;
  labsRoot: string;
  /** The learner's files, validated and staged in a private folder (files that clash with the subject are removed). */
  sourceDir: string;
  lang: LabLanguage;
  /** The test file that must be there (lab.yaml entry). */
  entry: string;
  limits: SandboxLimits;
  seed: number;
  onEvent?: GradeEventListener;
  isolation?: "bwrap" | "unsafe-local";
  sandboxOptions?: SandboxOptions;
}

/** One planned run: the original subject, or a variant of it. */
interface Run {
  checkId: string;
  title: string;
  label: string;
  variant: SubjectVariant | null;
  /** The subject's files as shipped, and as this run plants them. */
  subject: Record<string, string>;
  files: Record<string, string>;
}

export interface RunRecord {
  classified: ClassifiedRun;
  output: string;
  outputTruncated: boolean;
  runtime: Record<string, string>;
  durationMs: number;
}

class FatalRunError extends Error {
  constructor(
    readonly verdict: "bad-submission" | "infra-error",
    message: string,
  ) {
    super(message);
  }
}

const RETRY_NOTE = "The run will be retried and does not count as an attempt.";

/** Left out of the subject folder: what a local run of the subject leaves behind. */
const SUBJECT_IGNORED = new Set(["__pycache__", "node_modules", ".pytest_cache"]);

async function readTree(root: string, rel = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (SUBJECT_IGNORED.has(e.name)) continue;
    if (e.isDirectory()) Object.assign(out, await readTree(root, p));
    else if (e.isFile()) out[p] = await readFile(path.join(root, p), "utf8");
  }
  return out;
}

/** The subject as shipped and its variants for this seed; throws (our bug) when the lab is inconsistent. */
async function loadRuns(o: TestSuiteGradeOptions): Promise<Run[]> {
  const labDir = path.join(o.labsRoot, o.lab.id);
  const subject = await readTree(path.join(labDir, o.lab.testSuite?.subject ?? "subject", o.lang));
  if (Object.keys(subject).length === 0) throw new Error(`labs/${o.lab.id}: no subject for ${o.lang}`);
  const mod = (await importLabModule(path.join(labDir, "mutants.ts"), o.labsRoot)) as { variants?: unknown };
  if (typeof mod.variants !== "function")
    throw new Error(`labs/${o.lab.id}/mutants.ts exports no variants()`);
  const raw = (mod.variants as VariantsFactory)({ seed: o.seed, lang: o.lang, subject });
  const variants = SubjectVariantSchema.array().parse(raw) as SubjectVariant[];
  const ids = variants.map(variantCheckId);
  if (new Set([ORIGINAL_CHECK_ID, ...ids]).size !== ids.length + 1)
    throw new Error("variant ids are not unique");
  return [
    {
      checkId: ORIGINAL_CHECK_ID,
      title: "your suite passes on the server as shipped",
      label: "the server as shipped",
      variant: null,
      subject,
      files: subject,
    },
    ...variants.map((v) => ({
      checkId: variantCheckId(v),
      title: v.title,
      label: `${v.kind} change: ${v.change}`,
      variant: v,
      subject,
      files: { ...subject, ...v.files },
    })),
  ];
}

/** What one run needs: where the suite is, how to run it, and the subject files to plant. */
export type SuiteRunOptions = Pick<
  TestSuiteGradeOptions,
  "sourceDir" | "lang" | "entry" | "limits" | "isolation" | "sandboxOptions"
>;

/**
 * Runs the suite once, in a fresh sandbox with `files` (the subject, or a variant of it) planted
 * beside it. Exported for lab authors' tests (e.g. running a reference suite on every mutant).
 */
export async function runSuiteOnce(
  o: SuiteRunOptions,
  files: Record<string, string>,
  signal?: AbortSignal,
): Promise<RunRecord> {
  let server: RunningServer;
  try {
    server = await launchServer(
      {
        sourceDir: o.sourceDir,
        language: o.lang,
        entry: o.entry,
        transport: "stdio",
        mode: "tests",
        limits: o.limits,
        plantFiles: files,
        ...(o.isolation ? { isolation: o.isolation } : {}),
      },
      o.sandboxOptions,
    );
  } catch (err) {
    if (isSandboxError(err) && (err.code === "ENTRY_NOT_FOUND" || err.code === "INVALID_REQUEST"))
      throw new FatalRunError("bad-submission", err.message);
    const message = isSandboxError(err)
      ? err.message
      : `The sandbox failed to start your suite: ${String(err)}`;
    throw new FatalRunError("infra-error", `${message} ${RETRY_NOTE}`);
  }
  // Aborted (another run decided the grade): stop this one now, even if it was still launching.
  const stop = () => void server.stop();
  signal?.addEventListener("abort", stop, { once: true });
  if (signal?.aborted) stop();
  server.stdin.end();
  let stdout = "";
  server.stdout.setEncoding("utf8");
  server.stdout.on("data", (chunk: string) => {
    stdout += chunk;
  });
  const exit: ExitInfo = await server.exited;
  signal?.removeEventListener("abort", stop);
  const { report, other } = parseRunnerStdout(stdout);
  const stderr = server.stderrText();
  return {
    classified: classifyRun(exit, report, o.limits),
    output: other ? `${stderr}\n${other}` : stderr,
    outputTruncated: server.stderrTruncated(),
    runtime: server.runtime,
    durationMs: exit.durationMs,
  };
}

function deletedNote(deleted: string[]): string {
  if (!deleted.length) return "";
  const names = deleted.slice(0, 5).join(", ") + (deleted.length > 5 ? ", …" : "");
  return `\nNote: your suite deleted files during this run (${names}). Each run starts from a fresh copy, so no other run was affected.`;
}

function checkFor(o: TestSuiteGradeOptions, run: Run, rec: RunRecord): CheckResult {
  const { outcome, deleted } = rec.classified;
  const said = describeOutcome(outcome, o.limits);
  const base = {
    id: run.checkId,
    title: run.title,
    severity: "must" as const,
    lesson: run.variant?.lesson ?? o.lab.lessons[0],
    ...(run.variant?.specRef ? { specRef: run.variant.specRef } : {}),
    durationMs: rec.durationMs,
  };
  const note = deletedNote(deleted);
  const v = run.variant;
  if (!v) {
    const ok = outcome.kind === "passed";
    return {
      ...base,
      status: ok ? "pass" : "fail",
      message: ok
        ? `On the server as shipped, ${said}.${note}`
        : `Your suite does not pass on the server as shipped, so it cannot judge any change: ${said}.${note}`,
      ...(ok
        ? {}
        : {
            expected: "every test passes",
            actual: outcomeSummary(outcome, o.limits),
            hint: "Run your suite locally against the lab's server as shipped (see the lab's README) until it is green; then make it fail only on breaking changes.",
          }),
    };
  }
  const sent = `the server with this change:\n${diffOf(run)}`;
  if (v.kind === "breaking") {
    const ok = flagged(outcome);
    return {
      ...base,
      status: ok ? "pass" : "fail",
      message: ok
        ? `Caught: ${v.change}. Your suite said: ${said}.${note}`
        : `Not caught: ${v.change}. ${notCaught(outcome, said)}${note}`,
      ...(ok
        ? {}
        : {
            expected: "at least one test fails",
            actual: outcomeSummary(outcome, o.limits),
            hint: v.hint,
            sent,
          }),
    };
  }
  const ok = outcome.kind === "passed";
  return {
    ...base,
    status: ok ? "pass" : "fail",
    message: ok
      ? `No false alarm: ${v.change}; ${said}.${note}`
      : `False alarm: ${v.change} is backward compatible, yet ${said}.${note}`,
    ...(ok
      ? {}
      : { expected: "every test passes", actual: outcomeSummary(outcome, o.limits), hint: v.hint, sent }),
  };
}

function notCaught(outcome: SuiteOutcome, said: string): string {
  if (outcome.kind === "passed")
    return `On this breaking change ${said}: a release with it would ship green and break existing clients.`;
  if (outcome.kind === "no-tests") return `On this breaking change ${said}.`;
  return `On this breaking change ${said}: a contract test must fail with a message, not hang or crash (give every call a timeout).`;
}

function diffOf(run: Run): string {
  return Object.entries(run.variant?.files ?? {})
    .map(([file, after]) => `--- ${file}\n${unifiedDiff(run.subject[file] ?? "", after)}`)
    .join("\n");
}

function skippedCheck(run: Run, lesson: string | undefined, reason: string): CheckResult {
  return {
    id: run.checkId,
    title: run.title,
    severity: "must",
    status: "skipped",
    message: reason,
    ...(lesson ? { lesson } : {}),
    durationMs: 0,
  };
}

/** The suite's output of one run, under a header, cut to `budget` characters (head and tail kept). */
function outputBlock(
  run: Run,
  rec: RunRecord,
  budget: number,
  limits: SandboxLimits,
): { text: string; cut: boolean } {
  const header = `===== ${run.label}: ${outcomeSummary(rec.classified.outcome, limits)} =====\n`;
  let body = rec.output.trimEnd();
  let cut = rec.outputTruncated;
  if (body.length > budget) {
    const half = Math.floor(budget / 2);
    body = `${body.slice(0, half)}\n… (${Math.round((body.length - budget) / 1024)} KB of output cut) …\n${body.slice(-half)}`;
    cut = true;
  }
  return { text: `${header}${body}\n`, cut };
}

/** Each run's share of the result's output (the lab's outputKb in all). */
function outputBudget(o: TestSuiteGradeOptions, runs: Run[]): number {
  return Math.max(4096, Math.floor((o.limits.outputKb * 1024) / runs.length));
}

function verdictFor(
  original: SuiteOutcome | null,
  checks: CheckResult[],
  limits: SandboxLimits,
): { verdict: Verdict; message: string } {
  if (original && original.kind !== "passed") {
    const said = describeOutcome(original, limits);
    const verdict: Verdict =
      original.kind === "timeout" || original.kind === "memory-limit" || original.kind === "output-limit"
        ? original.kind
        : original.kind === "pids-limit" || original.kind === "crashed"
          ? "crashed"
          : "checks-failed";
    return { verdict, message: `On the server as shipped, ${said}. No change was judged.` };
  }
  const count = (prefix: string) => {
    const all = checks.filter((c) => c.id.startsWith(prefix));
    return { ok: all.filter((c) => c.status === "pass").length, all: all.length };
  };
  const caught = count("catches-");
  const accepted = count("accepts-");
  const summary = `Your suite caught ${caught.ok} of ${caught.all} breaking changes and passed on ${accepted.ok} of ${accepted.all} compatible ones.`;
  const allPass = checks.every((c) => c.severity === "should" || c.status === "pass");
  return allPass
    ? { verdict: "passed", message: `${summary} It passes on the server as shipped.` }
    : { verdict: "checks-failed", message: summary };
}

function runtimeOf(lang: LabLanguage, all: Record<string, string>): Record<string, string> {
  const keys = lang === "python" ? ["python", "mcp", "pytest"] : ["node", "sdk", "vitest"];
  return Object.fromEntries(keys.filter((k) => all[k]).map((k) => [k, all[k]]));
}

function finish(result: GradeResult, onEvent: GradeEventListener): GradeResult {
  const timings: GradeTimings = {
    launchMs: 0,
    firstByteMs: null,
    initializeMs: null,
    checksMs: result.durationMs,
    stopMs: 0,
    totalMs: result.durationMs,
  };
  onEvent({ type: "finished", result, timings });
  return result;
}

function resultOf(
  o: TestSuiteGradeOptions,
  fields: Pick<GradeResult, "verdict" | "message" | "checks" | "runtime" | "stderr" | "stderrTruncated">,
  startedAt: number,
): GradeResult {
  const passed = fields.checks.filter((c) => c.status === "pass").length;
  return GradeResultSchema.parse({
    version: RESULT_VERSION,
    lab: o.lab.id,
    lang: o.lang,
    seed: o.seed,
    status: statusForVerdict(fields.verdict),
    score: passed,
    maxScore: fields.checks.length,
    durationMs: Math.round(performance.now() - startedAt),
    limits: o.limits,
    trace: [],
    traceTruncated: false,
    ...fields,
  });
}

/** Grades the staged suite; never throws for learner input. Emits started, check and finished events. */
export async function gradeTestSuite(o: TestSuiteGradeOptions): Promise<GradeResult> {
  const onEvent = o.onEvent ?? (() => undefined);
  const startedAt = performance.now();
  const early = (verdict: "bad-submission" | "infra-error", message: string) =>
    finish(
      resultOf(
        o,
        { verdict, message, checks: [], runtime: {}, stderr: "", stderrTruncated: false },
        startedAt,
      ),
      onEvent,
    );

  let runs: Run[];
  try {
    runs = await loadRuns(o);
  } catch (err) {
    onEvent({
      type: "log",
      message: `test-suite lab failed to load: ${(err as Error).stack ?? String(err)}`,
    });
    return early(
      "infra-error",
      `The grader could not prepare this lab's server variants (our bug, not yours). ${RETRY_NOTE}`,
    );
  }
  const subject = runs[0].subject;
  // Every run plants the lab's server; a copy of it in the submission would be replaced anyway.
  for (const file of Object.keys(subject)) {
    const clash = path.join(o.sourceDir, file);
    const had = await rm(clash, { recursive: true }).then(
      () => true,
      () => false,
    );
    if (had)
      onEvent({ type: "log", message: `${file} in your files is replaced by the lab's server on every run` });
  }

  const planned: PlannedCheck[] = runs.map((r) => ({ id: r.checkId, title: r.title, severity: "must" }));
  onEvent({ type: "started", lab: o.lab.id, lang: o.lang, seed: o.seed, checks: planned });
  onEvent({ type: "phase", phase: "running-checks" });
  onEvent({
    type: "log",
    message: `running your suite ${runs.length} times (the server as shipped, then ${runs.length - 1} variants), ${o.lab.testSuite?.parallel ?? 2} at a time`,
  });

  const records = new Map<Run, RunRecord>();
  const shown: Run[] = [];
  const abort = new AbortController();
  let fatal: FatalRunError | null = null;
  let original: "pending" | "passed" | "failed" = "pending";
  // A variant that ends before the original is held back: it only counts once the original passed.
  const held: Array<() => void> = [];
  const show = (index: number, run: Run, rec: RunRecord) => () => {
    shown.push(run);
    onEvent({ type: "check-finished", index, total: runs.length, result: checkFor(o, run, rec) });
    onEvent({
      type: "stderr",
      source: "tests",
      chunk: outputBlock(run, rec, outputBudget(o, runs), o.limits).text,
    });
  };
  const queue = [...runs.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next && !abort.signal.aborted; next = queue.shift()) {
      const [index, run] = next;
      onEvent({ type: "check-started", id: run.checkId, title: run.title, index, total: runs.length });
      let rec: RunRecord;
      try {
        rec = await runSuiteOnce(o, run.files, abort.signal);
      } catch (err) {
        fatal ??=
          err instanceof FatalRunError
            ? err
            : new FatalRunError("infra-error", `${String(err)} ${RETRY_NOTE}`);
        abort.abort();
        return;
      }
      if (abort.signal.aborted) return;
      records.set(run, rec);
      if (run.variant) {
        if (original === "passed") show(index, run, rec)();
        else held.push(show(index, run, rec));
        continue;
      }
      show(index, run, rec)();
      original = rec.classified.outcome.kind === "passed" ? "passed" : "failed";
      if (original === "passed") for (const release of held.splice(0)) release();
      else abort.abort();
    }
  };
  await Promise.all(Array.from({ length: o.lab.testSuite?.parallel ?? 2 }, worker));
  if (fatal) {
    const { verdict, message } = fatal as FatalRunError;
    return early(verdict, message);
  }

  const lesson = o.lab.lessons[0];
  const checks = runs.map((run, index) => {
    const rec = records.get(run);
    if (rec && shown.includes(run)) return checkFor(o, run, rec);
    const check = skippedCheck(run, lesson, `skipped: ${ORIGINAL_CHECK_ID} failed first`);
    onEvent({ type: "check-finished", index, total: runs.length, result: check });
    return check;
  });
  const budget = outputBudget(o, runs);
  let stderr = "";
  let stderrTruncated = false;
  for (const run of runs) {
    const rec = records.get(run);
    if (!rec || !shown.includes(run)) continue;
    const block = outputBlock(run, rec, budget, o.limits);
    stderr += block.text;
    stderrTruncated ||= block.cut;
  }
  const originalRec = records.get(runs[0]);
  const { verdict, message } = verdictFor(originalRec?.classified.outcome ?? null, checks, o.limits);
  const counted = shown.map((run) => records.get(run)).filter((r): r is RunRecord => r !== undefined);
  const deleting = counted.filter((r) => r.classified.deleted.length > 0).length;
  const deletions = deleting
    ? ` Your suite deleted some of its own files in ${deleting} of ${counted.length} runs; each run started from a fresh copy.`
    : "";
  const firstRuntime = counted[0]?.runtime ?? {};
  return finish(
    resultOf(
      o,
      {
        verdict,
        message: message + deletions,
        checks,
        runtime: runtimeOf(o.lang, firstRuntime),
        stderr,
        stderrTruncated,
      },
      startedAt,
    ),
    onEvent,
  );
}

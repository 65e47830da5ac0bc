// The grading path as a library: validate the submission, start it in the sandbox, run the
// lab's checks over the real protocol, and return the result (streaming progress on the way).

import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import {
  defaultLimits,
  isSandboxError,
  type LaunchRequest,
  launchServer,
  type SandboxLimits,
  type SandboxOptions,
} from "../sandbox/index.ts";
import type { CheckDefinition } from "./check-api.ts";
import { selectBuiltInChecks } from "./check-catalog.ts";
import type { GradeEventListener, GradeTimings, PlannedCheck } from "./events.ts";
import { type ServerTarget, sandboxTarget } from "./harness/server-target.ts";
import { runSession } from "./harness/session.ts";
import { loadLabChecks, loadLabEnvironment } from "./lab-checks.ts";
import { defaultLabsRoot, type LabConfig, loadLabConfig } from "./lab-config.ts";
import { type LabEnvironment, type LabEnvironmentFactory, launchFieldsOf } from "./lab-environment.ts";
import { labChecksHash } from "./lab-modules.ts";
import { officialSuiteChecks } from "./official-suite.ts";
import { randomSeed } from "./random.ts";
import { readiness } from "./readiness.ts";
import {
  type GradeResult,
  GradeResultSchema,
  RESULT_VERSION,
  statusForVerdict,
  type Verdict,
} from "./result.ts";
import { readSubmissionDir, readSubmissionFiles, stageSubmission } from "./submission.ts";
import { gradeTestSuite } from "./test-suite-grade.ts";
import { decideVerdict, score } from "./verdict.ts";

export type Language = "python" | "typescript";

/** The SDK version the grader's client runs (its package.json is not in the package's exports). */
function sdkVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve("@modelcontextprotocol/sdk/types.js"));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "@modelcontextprotocol/sdk" && pkg.version) return pkg.version;
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  return "unknown";
}
const GRADER_SDK_VERSION = sdkVersion();

/** The runtime versions that matter for a language (the sandbox reports all it has). */
function runtimeFor(
  lang: Language | null,
  all: Record<string, string>,
  protocolVersion: string | undefined,
): Record<string, string> {
  const keys =
    lang === "python" ? ["python", "mcp"] : lang === "typescript" ? ["node", "sdk", "zod"] : Object.keys(all);
  const out: Record<string, string> = {};
  for (const k of keys) if (all[k]) out[k] = all[k];
  if (protocolVersion) out.protocolVersion = protocolVersion;
  out.grader = `@modelcontextprotocol/sdk ${GRADER_SDK_VERSION}`;
  return out;
}

export function limitsFor(lab: Pick<LabConfig, "limits"> | undefined): SandboxLimits {
  return { ...defaultLimits, ...(lab?.limits ?? {}) };
}

interface ResultBase {
  lab: string | null;
  lang: Language | null;
  seed: number;
  limits: SandboxLimits | null;
}

/** A result for a run that never started (bad input, or we could not start it). */
export function earlyResult(
  base: ResultBase,
  verdict: Extract<Verdict, "bad-submission" | "infra-error">,
  message: string,
  durationMs = 0,
): GradeResult {
  return GradeResultSchema.parse({
    version: RESULT_VERSION,
    lab: base.lab,
    lang: base.lang,
    seed: base.seed,
    status: statusForVerdict(verdict),
    verdict,
    message,
    score: 0,
    maxScore: 0,
    durationMs,
    runtime: { grader: `@modelcontextprotocol/sdk ${GRADER_SDK_VERSION}` },
    limits: base.limits,
    checks: [],
    stderr: "",
    stderrTruncated: false,
    trace: [],
    traceTruncated: false,
  });
}

export interface GradeTargetOptions extends ResultBase {
  checks: CheckDefinition[];
  /** The lab environment's state, handed to checks as ctx.environment. */
  environment?: unknown;
  /** What the grader's client declares (lab.yaml `client.capabilities`). */
  clientCapabilities?: ClientCapabilities;
  startTimeoutMs: number;
  checkTimeoutMs: number;
  onEvent?: GradeEventListener;
}

/** The result's `readiness` field, only when the checks carry areas. */
function withReadiness(results: GradeResult["checks"]): Pick<GradeResult, "readiness"> {
  const summary = readiness(results);
  return summary ? { readiness: summary } : {};
}

/** Grades a server that is already started (sandboxed or not). Stops it before returning. */
export async function gradeTarget(
  target: ServerTarget,
  options: GradeTargetOptions & { launchMs?: number; startedAt?: number },
): Promise<{ result: GradeResult; timings: GradeTimings }> {
  const onEvent = options.onEvent ?? (() => undefined);
  const startedAt = options.startedAt ?? target.startedAt;
  const session = await runSession(target, {
    checks: options.checks,
    lang: options.lang,
    seed: options.seed,
    startTimeoutMs: options.startTimeoutMs,
    checkTimeoutMs: options.checkTimeoutMs,
    environment: options.environment,
    clientCapabilities: options.clientCapabilities,
    onEvent,
  });
  const stderr = target.stderrText();
  const { verdict, message } = decideVerdict({
    results: session.results,
    connectFailure: session.connectFailure,
    exit: session.exit,
    exitedEarly: session.exitedEarly,
    goneDuring: session.goneDuring,
    limits: options.limits,
    stderr,
    hasProcess: target.hasProcess,
    stdoutNoise: session.recorder.stdoutNoise(),
    startTimeoutMs: options.startTimeoutMs,
  });
  const { trace, traceTruncated } = session.recorder.snapshot();
  const durationMs = Math.round(performance.now() - startedAt);
  const result = GradeResultSchema.parse({
    version: RESULT_VERSION,
    lab: options.lab,
    lang: options.lang,
    seed: options.seed,
    status: statusForVerdict(verdict),
    verdict,
    message,
    ...score(session.results),
    ...withReadiness(session.results),
    durationMs,
    runtime: runtimeFor(options.lang, target.runtime, session.protocolVersion),
    limits: options.limits,
    checks: session.results,
    stderr,
    stderrTruncated: target.stderrTruncated(),
    trace,
    traceTruncated,
  });
  const timings: GradeTimings = {
    launchMs: options.launchMs ?? 0,
    firstByteMs: session.firstByteMs,
    initializeMs: session.initializeMs,
    checksMs: session.checksMs,
    stopMs: session.stopMs,
    totalMs: durationMs,
  };
  onEvent({ type: "finished", result, timings });
  return { result, timings };
}

export interface GradeDirectoryOptions {
  /** Folder with the files to run (already validated). */
  sourceDir: string;
  lang: Language;
  entry: string;
  transport: "stdio" | "http";
  httpPath?: string;
  checks: CheckDefinition[];
  limits: SandboxLimits;
  lab: string | null;
  seed: number;
  startTimeoutMs?: number;
  checkTimeoutMs?: number;
  onEvent?: GradeEventListener;
  isolation?: "bwrap" | "unsafe-local";
  sandboxOptions?: SandboxOptions;
  /** The lab's grader-side environment (services, planted files), set up for this run only. */
  environment?: LabEnvironmentFactory;
  /** What the grader's client declares (lab.yaml `client.capabilities`). */
  clientCapabilities?: ClientCapabilities;
}

export function plannedChecks(checks: CheckDefinition[]): PlannedCheck[] {
  return checks.map((c) => ({ id: c.id, title: c.title, severity: c.severity }));
}

/** Starts the server in the sandbox and grades it with the given checks. */
export async function gradeDirectory(
  options: GradeDirectoryOptions,
): Promise<{ result: GradeResult; timings: GradeTimings }> {
  const onEvent = options.onEvent ?? (() => undefined);
  const base: ResultBase = {
    lab: options.lab,
    lang: options.lang,
    seed: options.seed,
    limits: options.limits,
  };
  let environment: LabEnvironment | undefined;
  if (options.environment) {
    try {
      environment = await options.environment({
        seed: options.seed,
        lang: options.lang,
        sourceDir: options.sourceDir,
        log: (message) => onEvent({ type: "log", message }),
      });
    } catch (err) {
      onEvent({ type: "log", message: `lab environment failed: ${(err as Error).stack ?? String(err)}` });
      return finishEarly(
        earlyResult(
          base,
          "infra-error",
          "The grader could not set up this lab's services (our bug, not yours). The run will be retried and does not count as an attempt.",
        ),
        onEvent,
      );
    }
  }
  try {
    return await gradeInEnvironment(options, base, environment);
  } finally {
    await environment?.close().catch(() => undefined);
  }
}

async function gradeInEnvironment(
  options: GradeDirectoryOptions,
  base: ResultBase,
  environment: LabEnvironment | undefined,
): Promise<{ result: GradeResult; timings: GradeTimings }> {
  const onEvent = options.onEvent ?? (() => undefined);
  const request: LaunchRequest = {
    sourceDir: options.sourceDir,
    language: options.lang,
    entry: options.entry,
    transport: options.transport,
    limits: options.limits,
    ...(options.isolation ? { isolation: options.isolation } : {}),
    ...launchFieldsOf(environment),
  };
  const httpPath = options.httpPath ?? "/mcp";
  const launch = async (): Promise<ServerTarget> => {
    const startedAt = performance.now();
    const server = await launchServer(request, options.sandboxOptions);
    return sandboxTarget(server, {
      transport: options.transport,
      startedAt,
      limits: options.limits,
      httpPath,
      relaunch: launch,
      ...(environment?.httpHeaders ? { httpHeaders: environment.httpHeaders } : {}),
    });
  };
  onEvent({ type: "phase", phase: "starting-server" });
  const started = performance.now();
  let target: ServerTarget;
  try {
    target = await launch();
  } catch (err) {
    const elapsed = Math.round(performance.now() - started);
    if (isSandboxError(err) && (err.code === "ENTRY_NOT_FOUND" || err.code === "INVALID_REQUEST")) {
      return finishEarly(earlyResult(base, "bad-submission", err.message, elapsed), onEvent);
    }
    const message = isSandboxError(err)
      ? err.message
      : `The sandbox failed to start the server: ${(err as Error).message}`;
    return finishEarly(
      earlyResult(
        base,
        "infra-error",
        `${message} The run will be retried and does not count as an attempt.`,
        elapsed,
      ),
      onEvent,
    );
  }
  const launchMs = Math.round(performance.now() - started);
  try {
    return await gradeTarget(target, {
      ...base,
      checks: options.checks,
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
      checkTimeoutMs: options.checkTimeoutMs ?? 5000,
      environment: environment?.state,
      clientCapabilities: options.clientCapabilities,
      onEvent,
      launchMs,
      startedAt: started,
    });
  } catch (err) {
    await target.stop().catch(() => undefined);
    onEvent({ type: "log", message: `internal error: ${(err as Error).stack ?? String(err)}` });
    return finishEarly(
      earlyResult(
        base,
        "infra-error",
        "The grader failed (our bug, not yours). The run will be retried and does not count as an attempt.",
        Math.round(performance.now() - started),
      ),
      onEvent,
    );
  }
}

function finishEarly(
  result: GradeResult,
  onEvent: GradeEventListener,
): { result: GradeResult; timings: GradeTimings } {
  const timings: GradeTimings = {
    launchMs: 0,
    firstByteMs: null,
    initializeMs: null,
    checksMs: 0,
    stopMs: 0,
    totalMs: result.durationMs,
  };
  onEvent({ type: "finished", result, timings });
  return { result, timings };
}

export interface GradeSubmissionOptions {
  labId: string;
  /** A folder with the learner's files (CLI) ... */
  dir?: string;
  /** ... or the files themselves, path -> content (web). */
  files?: Record<string, string>;
  lang: Language;
  seed?: number;
  onEvent?: GradeEventListener;
  labsRoot?: string;
  /** Default "bwrap"; the sandbox falls back to a plain process only when SANDBOX=unsafe-local is set and isolation is missing. */
  isolation?: "bwrap" | "unsafe-local";
  sandboxOptions?: SandboxOptions;
}

export interface LabPlan {
  lab: LabConfig;
  checks: CheckDefinition[];
  environment?: LabEnvironmentFactory;
  /** The hash of the lab's checks as loaded (result addition `checksHash`). */
  checksHash: string;
}

/** The lab's config and its full check list (selected protocol checks first, then the lab's own). */
export async function loadLabPlan(
  labId: string,
  labsRoot = defaultLabsRoot,
): Promise<{ ok: true; value: LabPlan } | { ok: false; error: string }> {
  const config = await loadLabConfig(labId, labsRoot);
  if (!config.ok) return config;
  const builtIn = selectBuiltInChecks(config.value.protocolChecks, config.value.transport);
  if (!builtIn.ok) return { ok: false, error: `labs/${labId}/lab.yaml: ${builtIn.error}` };
  const checksHash = await labChecksHash(labsRoot, labId);
  const own = await loadLabChecks(path.join(labsRoot, labId));
  if (!own.ok) return { ok: false, error: `labs/${labId}: ${own.error}` };
  const environment = await loadLabEnvironment(path.join(labsRoot, labId));
  if (!environment.ok) return { ok: false, error: `labs/${labId}: ${environment.error}` };
  const ownIds = new Set(own.value.map((c) => c.id));
  // A lab may replace a built-in check by reusing its id (e.g. to raise its severity).
  const suite = config.value.conformanceSuite ? officialSuiteChecks(config.value.conformanceSuite) : [];
  const checks = [...builtIn.value.filter((c) => !ownIds.has(c.id)), ...own.value, ...suite];
  return { ok: true, value: { lab: config.value, checks, environment: environment.value, checksHash } };
}

/** Grades one submission of one lab. Never throws for learner input: refusals are results. */
export async function gradeSubmission(options: GradeSubmissionOptions): Promise<GradeResult> {
  // Once the lab is loaded, every result (returned and in the finished event) says which checks graded it.
  let checksHash: string | undefined;
  const stamp = (result: GradeResult): GradeResult => (checksHash ? { ...result, checksHash } : result);
  const listener = options.onEvent ?? (() => undefined);
  const onEvent: GradeEventListener = (event) =>
    listener(event.type === "finished" ? { ...event, result: stamp(event.result) } : event);
  return stamp(await gradeLoaded(options, onEvent, (hash) => (checksHash = hash)));
}

async function gradeLoaded(
  options: GradeSubmissionOptions,
  onEvent: GradeEventListener,
  loaded: (checksHash: string) => void,
): Promise<GradeResult> {
  const seed = options.seed ?? randomSeed();
  const started = performance.now();
  onEvent({ type: "phase", phase: "validating" });
  const refuse = (message: string, limits: SandboxLimits | null = null) =>
    finishEarly(
      earlyResult(
        { lab: options.labId, lang: options.lang, seed, limits },
        "bad-submission",
        message,
        Math.round(performance.now() - started),
      ),
      onEvent,
    ).result;

  const plan = await loadLabPlan(options.labId, options.labsRoot);
  if (!plan.ok) return refuse(plan.error);
  loaded(plan.value.checksHash);
  const { lab, checks, environment } = plan.value;
  const limits = limitsFor(lab);
  if (!lab.languages.includes(options.lang)) {
    return refuse(
      `The lab ${lab.id} is offered in ${lab.languages.join(" and ")}, not ${options.lang}.`,
      limits,
    );
  }
  const entry = lab.entry[options.lang] as string;
  if ((options.dir === undefined) === (options.files === undefined))
    return refuse("Give either a folder or files, not both or neither.", limits);
  const submission =
    options.dir !== undefined
      ? await readSubmissionDir(options.dir, entry)
      : readSubmissionFiles(options.files, entry);
  if (!submission.ok) return refuse(submission.error, limits);
  if (submission.ignored.length)
    onEvent({ type: "log", message: `left out of the submission: ${submission.ignored.join(", ")}` });

  const testSuite = lab.kind === "test-suite"; // the learner's tests, run against variants of a server
  if (!testSuite)
    onEvent({ type: "started", lab: lab.id, lang: options.lang, seed, checks: plannedChecks(checks) });
  const staged = await stageSubmission(submission.files);
  try {
    if (testSuite) {
      const labsRoot = options.labsRoot ?? defaultLabsRoot;
      return await gradeTestSuite({
        ...options,
        lab,
        labsRoot,
        sourceDir: staged,
        entry,
        limits,
        seed,
        onEvent,
      });
    }
    const { result } = await gradeDirectory({
      sourceDir: staged,
      lang: options.lang,
      entry,
      transport: lab.transport,
      httpPath: lab.httpPath,
      checks,
      limits,
      lab: lab.id,
      seed,
      startTimeoutMs: lab.startTimeoutMs,
      checkTimeoutMs: lab.checkTimeoutMs,
      onEvent,
      isolation: options.isolation,
      sandboxOptions: options.sandboxOptions,
      environment,
      clientCapabilities: lab.client?.capabilities,
    });
    return result;
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

// The playground: the learner's current code started in the sandbox for a bounded time (one session
// per learner, a hard timeout) and driven like the MCP Inspector: list tools/resources/prompts, call
// a tool, read a resource, get a prompt, answer the server's sampling and elicitation requests by
// hand (labs whose lab.yaml gives the client those capabilities), and see every message. Sessions live in this process only
// (a registry on globalThis): with several app replicas, route a learner to one of them.
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { installClientRole } from "../../conformance/harness/client-role.ts";
import { connect } from "../../conformance/harness/connect.ts";
import { type ServerTarget, sandboxTarget } from "../../conformance/harness/server-target.ts";
import { TraceRecorder } from "../../conformance/harness/trace.ts";
import { loadLabEnvironment } from "../../conformance/lab-checks.ts";
import { type LabEnvironment, launchFieldsOf } from "../../conformance/lab-environment.ts";
import { randomSeed } from "../../conformance/random.ts";
import type { TraceEntry } from "../../conformance/result.ts";
import { type ExitInfo, isSandboxError, launchServer, type SandboxLimits } from "../../sandbox/index.ts";
import { HttpError } from "../http/errors.ts";
import { log } from "../log.ts";
import type { SubmittedFiles } from "../submissions/files.ts";
import { oversizeMessage } from "../submissions/files.ts";
import { entryFile, getLab, LABS_ROOT, type LabLanguage } from "./catalog.ts";
import {
  PENDING_MS,
  PendingServerRequests,
  type ServerRequestAnswer,
  type ServerRequestView,
} from "./playground-server-requests.ts";

export const PLAYGROUND_MS = 120_000;
const CALL_TIMEOUT_MS = 15_000;
const MESSAGE_CAP = 2000;

function maxSessions(): number {
  const n = Number.parseInt(process.env.PLAYGROUND_MAX_SESSIONS ?? "", 10);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

type State = "starting" | "ready" | "failed" | "stopped";

interface Session {
  id: string;
  userId: string;
  labId: string;
  lang: LabLanguage;
  startedAt: number;
  expiresAt: number;
  state: State;
  failure: string | null;
  recorder: TraceRecorder;
  messages: TraceEntry[];
  target: ServerTarget | null;
  client: Client | null;
  server: {
    name?: string;
    version?: string;
    protocolVersion?: string;
    capabilities?: Record<string, unknown>;
  };
  exit: ExitInfo | null;
  timer: NodeJS.Timeout | null;
  /** The lab's grader-side services (an upstream, an authorization server), for this session only. */
  environment: LabEnvironment | null;
  /** Sampling/elicitation requests from the server, waiting for the learner's answer. */
  serverRequests: PendingServerRequests;
  /** How long a call may take: longer when the server may wait on the learner's answer. */
  callTimeoutMs: number;
}

export interface PlaygroundView {
  id: string;
  labId: string;
  lang: LabLanguage;
  state: State;
  failure: string | null;
  startedAt: string;
  expiresAt: string;
  server: Session["server"];
  exit: { reason: string; code: number | null } | null;
  /** Messages from index `since` on, and the index to ask from next. */
  messages: TraceEntry[];
  next: number;
  stderr: string;
  stderrTruncated: boolean;
  /** Requests from the server waiting for the learner (sampling, elicitation). */
  serverRequests: ServerRequestView[];
}

const holder = globalThis as unknown as { mcpLabPlaygrounds?: Map<string, Session> };
function registry(): Map<string, Session> {
  holder.mcpLabPlaygrounds ??= new Map();
  return holder.mcpLabPlaygrounds;
}

function view(session: Session, since = 0): PlaygroundView {
  const from = Math.max(0, Math.min(since, session.messages.length));
  return {
    id: session.id,
    labId: session.labId,
    lang: session.lang,
    state: session.state,
    failure: session.failure,
    startedAt: new Date(session.startedAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    server: session.server,
    exit: session.exit ? { reason: session.exit.reason, code: session.exit.code } : null,
    messages: session.messages.slice(from),
    next: session.messages.length,
    stderr: session.target?.stderrText() ?? "",
    stderrTruncated: session.target?.stderrTruncated() ?? false,
    serverRequests: session.serverRequests.list(),
  };
}

async function teardown(session: Session, state: State = "stopped"): Promise<void> {
  if (session.timer) clearTimeout(session.timer);
  session.timer = null;
  if (session.state !== "failed") session.state = state;
  session.serverRequests.close();
  const { client, target } = session;
  session.client = null;
  await client?.close().catch(() => undefined);
  const exit = await target?.stop().catch(() => undefined);
  if (exit && !session.exit) session.exit = exit;
  const environment = session.environment;
  session.environment = null;
  await environment?.close().catch(() => undefined);
}

function exitMessage(exit: ExitInfo): string {
  switch (exit.reason) {
    case "timeout":
      return "Your server ran out of time (the playground's limit is 2 minutes).";
    case "memory-limit":
      return "Your server was stopped by the memory limit.";
    case "output-limit":
      return "Your server wrote more output than the limit; it was stopped.";
    case "pids-limit":
      return "Your server started more processes than allowed.";
    case "killed-by-grader":
      return "The playground was stopped.";
    default:
      return `Your server exited (${exit.code !== null ? `code ${exit.code}` : (exit.signal ?? "signal")}).`;
  }
}

/** Starts (or restarts) this learner's playground with their current files. */
export async function startPlayground(
  userId: string,
  labId: string,
  lang: LabLanguage,
  files: SubmittedFiles,
): Promise<PlaygroundView> {
  const lab = await getLab(labId);
  if (!lab) throw new HttpError(404, "UNKNOWN_LAB", `There is no lab "${labId}".`);
  if (!lab.languages.includes(lang))
    throw new HttpError(400, "LANGUAGE_NOT_OFFERED", `Lab ${lab.id} is not offered in ${lang}.`);
  if (lab.kind === "test-suite")
    throw new HttpError(
      400,
      "NO_PLAYGROUND",
      `Lab ${lab.id} grades your tests against our server, so there is no server of yours to start; run your suite locally (see "Run it locally").`,
    );
  const tooLarge = oversizeMessage(files);
  if (tooLarge) throw new HttpError(413, "FILES_TOO_LARGE", tooLarge);
  const entry = entryFile(lab, lang);
  if (!(entry in files)) throw new HttpError(400, "ENTRY_MISSING", `Your files must include ${entry}.`);

  const sessions = registry();
  const previous = sessions.get(userId);
  if (previous) {
    sessions.delete(userId);
    await teardown(previous);
  }
  const active = [...sessions.values()].filter((s) => s.state === "starting" || s.state === "ready").length;
  if (active >= maxSessions())
    throw new HttpError(
      503,
      "PLAYGROUND_BUSY",
      "Every playground slot is in use right now; try again in a minute.",
    );

  const startedAt = Date.now();
  const recorder = new TraceRecorder();
  const clientCapabilities = lab.config.client?.capabilities ?? {};
  const asksTheUser = Boolean(clientCapabilities.sampling || clientCapabilities.elicitation);
  const session: Session = {
    id: randomUUID(),
    userId,
    labId: lab.id,
    lang,
    startedAt,
    expiresAt: startedAt + PLAYGROUND_MS,
    state: "starting",
    failure: null,
    recorder,
    messages: [],
    target: null,
    client: null,
    server: {},
    exit: null,
    timer: null,
    environment: null,
    serverRequests: new PendingServerRequests(),
    callTimeoutMs: asksTheUser ? CALL_TIMEOUT_MS + PENDING_MS : CALL_TIMEOUT_MS,
  };
  recorder.onEntry((entry) => {
    if (session.messages.length < MESSAGE_CAP) session.messages.push(entry);
  });
  sessions.set(userId, session);
  session.timer = setTimeout(() => void teardown(session), PLAYGROUND_MS);
  session.timer.unref();

  const limits: SandboxLimits = {
    wallMs: PLAYGROUND_MS + 5_000,
    cpuSeconds: Math.max(lab.limits.cpuSeconds, 30),
    memoryMb: lab.limits.memoryMb,
    pids: lab.limits.pids,
    openFiles: lab.limits.openFiles,
    fileSizeKb: lab.limits.fileSizeKb,
    outputKb: lab.limits.outputKb,
  };
  const dir = await mkdtemp(path.join(tmpdir(), "mcp-lab-playground-"));
  try {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content, "utf8");
    }
    // Labs whose server calls the grader (an upstream, an authorization server) get the same
    // services in the playground as in grading, so tools behave as they will when graded.
    const factory = await loadLabEnvironment(path.join(LABS_ROOT, lab.id));
    if (!factory.ok) throw new Error(factory.error);
    const environment = factory.value
      ? await factory.value({
          seed: randomSeed(),
          lang,
          log: (message) => log.info({ labId, message }, "playground"),
        })
      : null;
    session.environment = environment;
    const launchedAt = performance.now();
    const server = await launchServer({
      sourceDir: dir,
      language: lang,
      entry,
      transport: lab.transport,
      limits,
      ...launchFieldsOf(environment),
    });
    const target = sandboxTarget(server, {
      transport: lab.transport,
      startedAt: launchedAt,
      limits,
      httpPath: lab.config.httpPath,
      ...(environment?.httpHeaders ? { httpHeaders: environment.httpHeaders } : {}),
    });
    session.target = target;
    void target.exited.then((exit) => {
      session.exit = exit;
      if (session.state === "ready" || session.state === "starting") {
        session.state = "stopped";
        session.failure = exitMessage(exit);
      }
    });
    const outcome = await connect(target, recorder, {
      timeoutMs: lab.config.startTimeoutMs,
      capabilities: clientCapabilities,
    });
    if (!outcome.ok) {
      session.state = "failed";
      session.failure = outcome.failure.message;
      await teardown(session, "failed");
      return view(session);
    }
    const { connection } = outcome;
    session.client = connection.client;
    session.serverRequests.attach(installClientRole(connection.client, clientCapabilities));
    const info = connection.initializeResult as {
      serverInfo?: { name?: string; version?: string };
      capabilities?: Record<string, unknown>;
    };
    session.server = {
      name: info.serverInfo?.name,
      version: info.serverInfo?.version,
      protocolVersion: connection.protocolVersion,
      capabilities: info.capabilities,
    };
    if (session.state === "starting") session.state = "ready";
    log.info({ userId, labId, lang, playgroundId: session.id }, "playground started");
    return view(session);
  } catch (error) {
    session.state = "failed";
    session.failure = isSandboxError(error)
      ? error.message
      : "The playground could not start your server (our fault, not yours).";
    if (!isSandboxError(error)) log.error({ err: error, userId, labId }, "playground: start failed");
    await teardown(session, "failed");
    return view(session);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

export function playgroundState(userId: string, labId: string, since = 0): PlaygroundView | null {
  const session = registry().get(userId);
  return session && session.labId === labId ? view(session, since) : null;
}

export async function stopPlayground(userId: string, labId: string): Promise<PlaygroundView | null> {
  const session = registry().get(userId);
  if (!session || session.labId !== labId) return null;
  await teardown(session);
  return view(session);
}

export type PlaygroundRequest =
  | { method: "ping" }
  | { method: "tools/list" }
  | { method: "resources/list" }
  | { method: "resources/templates/list" }
  | { method: "prompts/list" }
  | { method: "tools/call"; params: { name: string; arguments: Record<string, unknown> } }
  | { method: "resources/read"; params: { uri: string } }
  | { method: "prompts/get"; params: { name: string; arguments: Record<string, string> } };

export interface PlaygroundAnswer {
  ok: boolean;
  result?: unknown;
  error?: { code: number | null; message: string };
  state: PlaygroundView;
}

/** The learner's answer to a request their server sent the playground's client. */
export function answerPlaygroundServerRequest(
  userId: string,
  labId: string,
  requestId: string,
  answer: ServerRequestAnswer,
  since: number,
): PlaygroundView {
  const session = registry().get(userId);
  if (!session || session.labId !== labId)
    throw new HttpError(404, "NO_PLAYGROUND", "Start the playground first.");
  session.serverRequests.answer(requestId, answer);
  return view(session, since);
}

/** Sends one request from the playground's client to the learner's running server. */
export async function playgroundRequest(
  userId: string,
  labId: string,
  request: PlaygroundRequest,
  since: number,
): Promise<PlaygroundAnswer> {
  const session = registry().get(userId);
  if (!session || session.labId !== labId)
    throw new HttpError(404, "NO_PLAYGROUND", "Start the playground first.");
  const client = session.client;
  if (session.state !== "ready" || !client)
    throw new HttpError(
      409,
      "PLAYGROUND_NOT_RUNNING",
      session.failure ?? "The playground is not running; start it again.",
    );
  const options = { timeout: session.callTimeoutMs };
  try {
    let result: unknown;
    switch (request.method) {
      case "ping":
        result = await client.ping(options);
        break;
      case "tools/list":
        result = await client.listTools({}, options);
        break;
      case "resources/list":
        result = await client.listResources({}, options);
        break;
      case "resources/templates/list":
        result = await client.listResourceTemplates({}, options);
        break;
      case "prompts/list":
        result = await client.listPrompts({}, options);
        break;
      case "tools/call":
        result = await client.callTool(request.params, undefined, options);
        break;
      case "resources/read":
        result = await client.readResource(request.params, options);
        break;
      case "prompts/get":
        result = await client.getPrompt(request.params, options);
        break;
    }
    return { ok: true, result, state: view(session, since) };
  } catch (error) {
    const code =
      typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : null;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code, message }, state: view(session, since) };
  }
}

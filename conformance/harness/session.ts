// One grading session against one started server: connect, decide which checks apply, run
// them, stop the server. Returns what happened; verdict.ts turns it into a result.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { ExitInfo } from "../../sandbox/index.ts";
import type { AppliesToInput, CheckDefinition, HttpAccess, ServerView } from "../check-api.ts";
import { McpRequestError } from "../check-expect.ts";
import type { GradeEventListener } from "../events.ts";
import { REQUESTED_PROTOCOL_VERSION } from "../protocol-checks/versions.ts";
import type { CheckResult } from "../result.ts";
import { installClientRole } from "./client-role.ts";
import { type ConnectFailure, type Connection, connect } from "./connect.ts";
import { createContext, type OpenedClient } from "./context.ts";
import { openHttpRawConnection, openStdioRawConnection, type RawConnection } from "./raw-connection.ts";
import { RecordedTransport } from "./recorded-transport.ts";
import { orderChecks, runChecks, skippedResult } from "./run-checks.ts";
import { ServerRequestLog } from "./server-requests.ts";
import type { ServerTarget } from "./server-target.ts";
import { RecordedStdioTransport } from "./stdio-transport.ts";
import { startTcpBridge, type TcpBridge } from "./tcp-bridge.ts";
import { TraceRecorder } from "./trace.ts";

export interface SessionOptions {
  checks: CheckDefinition[];
  lang: "python" | "typescript" | null;
  seed: number;
  startTimeoutMs: number;
  checkTimeoutMs: number;
  /** The lab environment's state, for ctx.environment. */
  environment?: unknown;
  /** What the grader's client declares in initialize (lab.yaml `client.capabilities`). */
  clientCapabilities?: ClientCapabilities;
  onEvent: GradeEventListener;
}

export interface SessionOutcome {
  results: CheckResult[];
  connectFailure?: ConnectFailure;
  /** How the process ended (after stop(), or by itself). */
  exit: ExitInfo | undefined;
  /** The process ended on its own while being graded (not after a shutdown check asked it to). */
  exitedEarly: boolean;
  /** The check during which the server went away. */
  goneDuring: string | null;
  protocolVersion: string | undefined;
  recorder: TraceRecorder;
  firstByteMs: number | null;
  initializeMs: number | null;
  checksMs: number;
  stopMs: number;
}

const viewOf = (client: Client, protocolVersion: string | undefined): ServerView => ({
  info: client.getServerVersion(),
  capabilities: client.getServerCapabilities(),
  protocolVersion,
  instructions: client.getInstructions(),
});

/** Ends a connection; over HTTP also the session (DELETE), so the server can free it. */
async function closeConnection(connection: Connection): Promise<void> {
  const { transport } = connection;
  if (transport instanceof RecordedTransport && transport.inner instanceof StreamableHTTPClientTransport)
    await transport.inner.terminateSession().catch(() => undefined);
  await connection.client.close().catch(() => undefined);
}

const describeExit = (exit: ExitInfo) =>
  exit.reason === "exited"
    ? `exited with code ${exit.code}`
    : exit.signal
      ? `was killed (${exit.signal}, ${exit.reason})`
      : exit.reason;

/**
 * The checks of a session whose initialize went wrong. An answer with a version the client cannot
 * speak is a valid handshake and a failed negotiation (when that check is planned); any other
 * answer fails the handshake. Everything else is skipped.
 */
function connectFailureResults(
  planned: CheckDefinition[],
  failure: ConnectFailure,
  answered: boolean,
): CheckResult[] {
  const actual = "answer" in failure ? { actual: JSON.stringify(failure.answer).slice(0, 2000) } : {};
  const version = failure.kind === "unsupported-version" ? failure.version : undefined;
  const failedId =
    version !== undefined && planned.some((c) => c.id === "initialize-version-negotiation")
      ? "initialize-version-negotiation"
      : "initialize-handshake";
  return planned.map((check) => {
    if (answered && check.id === failedId) {
      return {
        ...skippedResult(check, ""),
        status: "fail" as const,
        message: failure.message,
        ...(version !== undefined
          ? {
              expected: `"${REQUESTED_PROTOCOL_VERSION}" (what the grader asked for), or the latest version the server supports`,
            }
          : {}),
        ...actual,
        hint: check.hint,
      };
    }
    if (answered && check.id === "initialize-handshake" && version !== undefined) {
      return {
        ...skippedResult(check, ""),
        status: "pass" as const,
        message: `answered with protocol version ${version}`,
      };
    }
    return skippedResult(
      check,
      answered ? `skipped: ${failedId} failed first` : "skipped: the server did not start",
    );
  });
}

export async function runSession(target: ServerTarget, options: SessionOptions): Promise<SessionOutcome> {
  const { onEvent } = options;
  const recorder = new TraceRecorder(target.startedAt);
  recorder.onEntry((entry) => onEvent({ type: "trace", entry }));
  target.onStderr((chunk) => onEvent({ type: "stderr", chunk }));
  // Not a "data" listener on stdout: that would switch the stream to flowing before the transport
  // listens, and lose what the server printed first.
  const firstByte = () => recorder.firstServerOutputAt;

  let exit: ExitInfo | undefined;
  let shutdownRequested = false;
  let stopping = false;
  let exitedEarly = false;
  void target.exited.then((info) => {
    exit = info;
    if (!shutdownRequested && !stopping) exitedEarly = true;
  });

  const ordered = orderChecks(options.checks);
  const base = { recorder, checksMs: 0, stopMs: 0 };
  const clientCapabilities = options.clientCapabilities ?? {};
  // Observes from the first message, so a request sent right after initialize is seen too.
  let streamOf: Connection["streamOf"] = () => undefined;
  const serverRequests = new ServerRequestLog(target.transport, (id) => streamOf(id));
  recorder.onEntry((entry) => serverRequests.observe(entry));
  onEvent({ type: "phase", phase: "connecting" });
  const outcome = await connect(target, recorder, {
    timeoutMs: options.startTimeoutMs,
    capabilities: clientCapabilities,
  });

  if (!outcome.ok) {
    const failure = outcome.failure;
    const answered =
      failure.kind === "invalid" || failure.kind === "rejected" || failure.kind === "unsupported-version";
    // List what would have run for a server of this transport that offers everything.
    const bestCase: AppliesToInput = {
      info: undefined,
      capabilities: { tools: {}, resources: {}, prompts: {} },
      protocolVersion: undefined,
      instructions: undefined,
      transport: target.transport,
      httpSessionId: "unknown",
      lang: options.lang,
    };
    const planned = ordered.filter((check) => !check.appliesTo || check.appliesTo(bestCase) === true);
    const results = connectFailureResults(planned, failure, answered);
    for (const [index, result] of results.entries())
      onEvent({ type: "check-finished", index, total: results.length, result });
    const stopStarted = performance.now();
    stopping = true;
    const finalExit = (await target.stop()) ?? exit;
    return {
      ...base,
      firstByteMs: firstByte(),
      results,
      connectFailure: failure,
      exit: finalExit,
      exitedEarly,
      goneDuring: null,
      protocolVersion: undefined,
      initializeMs: null,
      stopMs: Math.round(performance.now() - stopStarted),
    };
  }

  const { connection } = outcome;
  const initializeMs = connection.initializedAt;
  const { client, transport } = connection;
  streamOf = connection.streamOf;
  const role = installClientRole(client, clientCapabilities);
  let closed = false;
  const previousOnClose = transport.onclose;
  transport.onclose = () => {
    closed = true;
    previousOnClose?.();
  };
  const server = viewOf(client, connection.protocolVersion);
  const sessionId = transport.sessionId;
  const applies: AppliesToInput = {
    ...server,
    transport: target.transport,
    ...(sessionId ? { httpSessionId: sessionId } : {}),
    lang: options.lang,
  };
  const notApplicable = new Map<string, string[]>();
  const checks = ordered.filter((check) => {
    const verdict = check.appliesTo ? check.appliesTo(applies) : true;
    if (verdict !== true) notApplicable.set(verdict, [...(notApplicable.get(verdict) ?? []), check.id]);
    return verdict === true;
  });
  for (const [reason, ids] of notApplicable)
    onEvent({ type: "log", message: `not applicable (${reason}): ${ids.join(", ")}` });

  // A second stdio server process (for checks that need a second connection) starts now, in parallel.
  let prewarmed: Promise<ServerTarget> | undefined;
  const anotherProcess = (): Promise<ServerTarget> => {
    if (prewarmed) {
      const probe = prewarmed;
      prewarmed = undefined;
      return probe;
    }
    if (!target.another) throw new Error("this server cannot be started twice");
    return target.another();
  };
  const openRaw = async (): Promise<RawConnection> => {
    if (target.transport === "http") return openHttpRawConnection(target, options.checkTimeoutMs);
    return openStdioRawConnection(await anotherProcess(), options.startTimeoutMs);
  };
  if (target.transport === "stdio" && checks.some((c) => c.usesRawConnection) && target.another) {
    prewarmed = target.another();
    prewarmed.catch(() => undefined);
  }

  /** ctx.openClient: an SDK client with other capabilities, on a new session or a second process. */
  const openClient = async (capabilities: ClientCapabilities): Promise<OpenedClient> => {
    const probe = target.transport === "http" ? target : await anotherProcess();
    const stopProbe = async () => {
      if (probe !== target) await probe.stop().catch(() => undefined);
    };
    // Its own trace: a second connection's ids would collide with the main one's in the run's trace.
    const probeRecorder = new TraceRecorder(target.startedAt);
    let probeStreamOf: Connection["streamOf"] = () => undefined;
    const log = new ServerRequestLog(target.transport, (id) => probeStreamOf(id));
    probeRecorder.onEntry((entry) => log.observe(entry));
    const opened = await connect(probe, probeRecorder, { timeoutMs: options.startTimeoutMs, capabilities });
    if (!opened.ok) {
      await stopProbe();
      const { failure } = opened;
      const kind = failure.kind === "no-answer" && failure.timedOut ? "timeout" : "closed";
      throw new McpRequestError(kind, "initialize", { capabilities }, failure.message);
    }
    const { connection: second } = opened;
    probeStreamOf = second.streamOf;
    const probeRole = installClientRole(second.client, capabilities);
    let done = false;
    return {
      client: second.client,
      role: probeRole,
      log,
      server: viewOf(second.client, second.protocolVersion),
      async close() {
        if (done) return;
        done = true;
        await closeConnection(second);
        await stopProbe();
      },
    };
  };

  let bridge: Promise<TcpBridge> | undefined;
  const tcpUrl = async (): Promise<string> => {
    const h = target.http;
    if (!h) throw new Error("no http endpoint");
    if (!h.socketPath) return h.url;
    const socketPath = h.socketPath;
    bridge ??= startTcpBridge(socketPath, h.port, h.headers);
    const b = await bridge;
    const u = new URL(h.url);
    return `${b.origin}${u.pathname}${u.search}`;
  };
  const http: HttpAccess | undefined = target.http
    ? {
        url: target.http.url,
        tcpUrl,
        sessionId: () => transport.sessionId,
        fetch: (path, init) => {
          const httpTarget = target.http;
          if (!httpTarget) throw new Error("no http endpoint");
          const url = /^https?:/.test(path) ? path : new URL(path, httpTarget.url).toString();
          return httpTarget.fetch(url, init);
        },
      }
    : undefined;

  const closeStdinAndWait =
    transport instanceof RecordedStdioTransport
      ? async (timeoutMs: number) => {
          shutdownRequested = true;
          transport.closeInput();
          let timer: NodeJS.Timeout | undefined;
          const info = await Promise.race([
            target.exited,
            new Promise<null>((r) => {
              timer = setTimeout(() => r(null), timeoutMs);
            }),
          ]);
          clearTimeout(timer);
          return info ? { code: info.code, signal: info.signal } : null;
        }
      : undefined;

  onEvent({ type: "phase", phase: "running-checks" });
  const checksStarted = performance.now();
  const run = await runChecks({
    checks,
    defaultTimeoutMs: options.checkTimeoutMs,
    onEvent,
    serverGone: () => {
      if (shutdownRequested) return null;
      if (exit) return `the server is no longer running (it ${describeExit(exit)})`;
      if (closed) return "the connection to the server closed";
      return null;
    },
    makeContext: (check, signal, timeoutMs) =>
      createContext({
        client,
        role,
        serverRequests,
        openClient,
        transport: target.transport,
        lang: options.lang,
        seed: options.seed,
        environment: options.environment,
        checkId: check.id,
        timeoutMs,
        signal,
        server,
        isClosed: () => closed || (exit !== undefined && !shutdownRequested),
        stderr: () => target.stderrText(),
        stdoutNoise: () => recorder.stdoutNoise(),
        log: (message) => onEvent({ type: "log", message }),
        http,
        openRawConnection: openRaw,
        closeStdinAndWait,
      }),
  });
  const checksMs = Math.round(performance.now() - checksStarted);

  onEvent({ type: "phase", phase: "stopping" });
  const stopStarted = performance.now();
  stopping = true;
  if (prewarmed) await prewarmed.then((probe) => probe.stop()).catch(() => undefined);
  await client.close().catch(() => undefined);
  if (bridge) await bridge.then((b) => b.close()).catch(() => undefined);
  const finalExit = (await target.stop()) ?? exit;
  return {
    ...base,
    firstByteMs: firstByte(),
    results: run.results,
    exit: finalExit,
    exitedEarly,
    goneDuring: run.goneDuring,
    protocolVersion: connection.protocolVersion,
    initializeMs,
    checksMs,
    stopMs: Math.round(performance.now() - stopStarted),
  };
}

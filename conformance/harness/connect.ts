// Connects the grader's SDK Client to a server under test and tells apart the ways that fails:
// never answered (did-not-start), exited first, answered initialize with an error, answered with a
// protocol version the grader's client does not speak, or with something that is not a valid
// InitializeResult.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { ExitInfo } from "../../sandbox/index.ts";
import { describe } from "../check-expect.ts";
import { KNOWN_PROTOCOL_VERSIONS, REQUESTED_PROTOCOL_VERSION } from "../protocol-checks/versions.ts";
import { observeSseStreams, type RequestId, type StreamLabel } from "./http-streams.ts";
import { RecordedTransport } from "./recorded-transport.ts";
import type { ServerTarget } from "./server-target.ts";
import { RecordedStdioTransport } from "./stdio-transport.ts";
import type { TraceRecorder } from "./trace.ts";

export const GRADER_CLIENT_INFO = { name: "mcp-lab-grader", version: "1.0.0" };

export interface Connection {
  client: Client;
  transport: RecordedStdioTransport | RecordedTransport;
  /** The raw `result` of the server's answer to initialize. */
  initializeResult: Record<string, unknown>;
  protocolVersion: string | undefined;
  /** ms from launch to the initialize answer. */
  initializedAt: number;
  /** Streamable HTTP: the SSE stream a server->client request arrived on (undefined on stdio). */
  streamOf(id: RequestId): StreamLabel | undefined;
}

export type ConnectFailure =
  /** Nothing answered initialize in time (or, over HTTP, nothing listened). */
  | { kind: "no-answer"; message: string; timedOut: boolean }
  /** The process ended before answering. */
  | { kind: "exited"; message: string; exit: ExitInfo }
  /** initialize was answered with a JSON-RPC error. */
  | { kind: "rejected"; message: string; answer: unknown }
  /**
   * A valid InitializeResult whose protocolVersion the grader's client does not speak: the SDK
   * Client disconnects (as the spec says a client SHOULD), so the session cannot go on.
   */
  | { kind: "unsupported-version"; message: string; answer: unknown; version: string }
  /** initialize was answered, but not with a usable InitializeResult. */
  | { kind: "invalid"; message: string; answer: unknown };

export type ConnectOutcome = { ok: true; connection: Connection } | { ok: false; failure: ConnectFailure };

function initializeAnswer(recorder: TraceRecorder): Record<string, unknown> | undefined {
  const { trace } = recorder.snapshot();
  const request = trace.find((e) => "msg" in e && e.dir === "c2s" && e.msg.method === "initialize");
  if (!request || !("msg" in request)) return undefined;
  const id = request.msg.id;
  const answer = trace.find((e) => "msg" in e && e.dir === "s2c" && e.msg.id === id && !("method" in e.msg));
  return answer && "msg" in answer ? answer.msg : undefined;
}

/**
 * The protocolVersion of a valid InitializeResult that the SDK Client refused ("Server's protocol
 * version is not supported: X", thrown by Client.connect after parsing the result), else undefined.
 */
function unsupportedVersion(err: unknown, answer: Record<string, unknown> | undefined): string | undefined {
  if (!(err instanceof Error) || !/protocol version is not supported/i.test(err.message)) return undefined;
  const result = answer?.result;
  if (typeof result !== "object" || result === null) return undefined;
  const version = (result as Record<string, unknown>).protocolVersion;
  return typeof version === "string" ? version : undefined;
}

function unsupportedVersionMessage(version: string): string {
  const what = KNOWN_PROTOCOL_VERSIONS.includes(version)
    ? "a revision the grader's client does not speak"
    : "which is not a released MCP revision";
  return (
    `The server answered initialize with protocolVersion ${JSON.stringify(version)}, ${what}. ` +
    `The grader asked for "${REQUESTED_PROTOCOL_VERSION}": a server answers with the client's version when it ` +
    `supports it, otherwise with the latest version it supports. The grader's client disconnected, as a ` +
    `client that cannot speak the answered version does, so nothing else could be checked.`
  );
}

export async function connect(
  target: ServerTarget,
  recorder: TraceRecorder,
  options: { timeoutMs: number; capabilities?: ClientCapabilities },
): Promise<ConnectOutcome> {
  const deadline = performance.now() + options.timeoutMs;
  const ready = await target.waitReady(options.timeoutMs);
  if (!ready.ready) {
    if (ready.reason === "exited") {
      const exit = await target.exited;
      return {
        ok: false,
        failure: { kind: "exited", message: "The server exited before it listened for HTTP.", exit },
      };
    }
    return {
      ok: false,
      failure: {
        kind: "no-answer",
        message: `The server did not listen for HTTP within ${options.timeoutMs / 1000} s.`,
        timedOut: true,
      },
    };
  }

  let transport: RecordedStdioTransport | RecordedTransport;
  let streamOf: Connection["streamOf"] = () => undefined;
  if (target.transport === "stdio") {
    if (!target.stdin || !target.stdout) throw new Error("stdio target without stdin/stdout");
    transport = new RecordedStdioTransport({ stdin: target.stdin, stdout: target.stdout }, recorder);
  } else {
    if (!target.http) throw new Error("http target without an endpoint");
    const observed = observeSseStreams(target.http.fetch);
    streamOf = observed.streamOf;
    const inner = new StreamableHTTPClientTransport(new URL(target.http.url), {
      // A lab environment's client headers (e.g. a bearer token) go on every request of the session.
      ...(target.http.headers ? { requestInit: { headers: target.http.headers } } : {}),
      fetch: observed.fetch,
      reconnectionOptions: {
        maxRetries: 0,
        initialReconnectionDelay: 1000,
        maxReconnectionDelay: 1000,
        reconnectionDelayGrowFactor: 1,
      },
    });
    transport = new RecordedTransport(inner, recorder);
  }
  const client = new Client(GRADER_CLIENT_INFO, { capabilities: options.capabilities ?? {} });
  // Errors after connect (a stray SSE failure, EPIPE) surface through the requests that hit them.
  client.onerror = () => undefined;

  let exitedFirst: ExitInfo | undefined;
  void target.exited.then((info) => {
    exitedFirst = info;
  });
  try {
    const remaining = Math.max(100, deadline - performance.now());
    await client.connect(transport, { timeout: remaining });
  } catch (err) {
    // Decide now: the SDK closes the transport when initialize fails, and a silent server then
    // exits on EOF, which must not read as "exited before answering".
    const timedOut = err instanceof Error && /timed out/i.test(err.message);
    // Not a timeout: the connection closed or broke, so the process is dying; give it a moment
    // to be reported as exited (stdout can close before the exit event).
    if (!timedOut && !exitedFirst) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([target.exited, new Promise((r) => (timer = setTimeout(r, 1000)))]);
      clearTimeout(timer);
    }
    const exitedBeforeClose = timedOut ? undefined : exitedFirst;
    await client.close().catch(() => undefined);
    const answer = initializeAnswer(recorder);
    if (answer && "error" in answer) {
      return {
        ok: false,
        failure: {
          kind: "rejected",
          message: `The server answered initialize with an error: ${describe(answer.error)}`,
          answer,
        },
      };
    }
    const version = unsupportedVersion(err, answer);
    if (answer && version !== undefined) {
      return {
        ok: false,
        failure: {
          kind: "unsupported-version",
          message: unsupportedVersionMessage(version),
          answer,
          version,
        },
      };
    }
    if (answer) {
      return {
        ok: false,
        failure: {
          kind: "invalid",
          message: `The server's answer to initialize is not a valid InitializeResult: ${(err as Error).message}`,
          answer,
        },
      };
    }
    if (exitedBeforeClose) {
      return {
        ok: false,
        failure: {
          kind: "exited",
          message: "The server exited before answering initialize.",
          exit: exitedBeforeClose,
        },
      };
    }
    const cause =
      err instanceof Error && !timedOut
        ? ` (${(err.cause as Error | undefined)?.message ?? err.message})`
        : "";
    return {
      ok: false,
      failure: {
        kind: "no-answer",
        message: timedOut
          ? `The server did not answer initialize within ${Math.round(options.timeoutMs / 100) / 10} s.`
          : `The server did not answer initialize${cause}.`,
        timedOut,
      },
    };
  }
  const answer = initializeAnswer(recorder);
  const result = (answer?.result ?? {}) as Record<string, unknown>;
  return {
    ok: true,
    connection: {
      client,
      transport,
      initializeResult: result,
      protocolVersion:
        typeof result.protocolVersion === "string" ? result.protocolVersion : transport.negotiatedVersion,
      initializedAt: recorder.now(),
      streamOf,
    },
  };
}

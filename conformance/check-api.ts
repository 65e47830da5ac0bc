// The check API: everything a lab's checks.ts (and the built-in protocol checks) may use.
//
//   import type { CheckDefinition } from "../../conformance/check-api.ts";
//   export const checks: CheckDefinition[] = [
//     {
//       id: "add-note-returns-id",
//       title: "add_note returns the stored note",
//       severity: "must",
//       lesson: "m2/getting-started",
//       specRef: "2025-11-25/server/tools#structured-content",
//       requires: ["tools-listed"],
//       async run(ctx) {
//         const title = ctx.random.sentence(3);
//         const result = await ctx.callTool("add_note", { title, body: ctx.random.sentence(8) });
//         const note = ctx.expect.structuredMatches(result, z.object({ id: z.string(), title: z.string() }));
//         ctx.expect.equal(note.title, title, "add_note returned a different title");
//         return `stored as ${note.id}`;
//       },
//     },
//   ];
//
// Outcomes: run() resolves -> pass (a returned string is the pass message); a CheckFailure
// (thrown by ctx.expect.* or `new CheckFailure(...)`) -> fail; an uncaught McpRequestError from a
// ctx call (JSON-RPC error, timeout, closed connection, malformed answer) -> fail, saying what was
// sent and what came back; any other exception is a bug in the check -> error.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type {
  CallToolResult,
  ClientCapabilities,
  GetPromptResult,
  Implementation,
  ListPromptsResult,
  ListResourcesResult,
  ListResourceTemplatesResult,
  ListToolsResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { Expect } from "./check-expect.ts";
import type { ElicitationHandler, RootsHandler, SamplingHandler } from "./harness/client-role.ts";
import type { RawConnection } from "./harness/raw-connection.ts";
import type { Association, ServerRequestRecord } from "./harness/server-requests.ts";
import type { SeededRandom } from "./random.ts";
import type { Severity } from "./result.ts";

export type {
  ClientCapabilities,
  CreateMessageResult,
  ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
export type { FailureDetails, McpRequestErrorKind, Rejection } from "./check-expect.ts";
export {
  CheckFailure,
  describe,
  isCheckFailure,
  isMcpRequestError,
  McpRequestError,
  textOf,
} from "./check-expect.ts";
export type {
  ElicitationHandler,
  ElicitationParams,
  RootsHandler,
  SamplingHandler,
  SamplingParams,
} from "./harness/client-role.ts";
export { clientError } from "./harness/client-role.ts";
export type { RequestId, StreamLabel } from "./harness/http-streams.ts";
export type { RawAnswer, RawConnection } from "./harness/raw-connection.ts";
export type { Association, ClientRequestRef, ServerRequestRecord } from "./harness/server-requests.ts";
export { describeServerRequest } from "./harness/server-requests.ts";
export type { SeededRandom } from "./random.ts";
export type { Expect };

export interface CheckDefinition {
  /** Stable kebab-case slug; results, requires and lab.yaml refer to it. Never rename. */
  id: string;
  /** One line, for the result table. */
  title: string;
  /** The spec's MUST is "must" (decides pass/fail); its SHOULD is "should" (a warning). */
  severity: Severity;
  /** Spec section, "<revision>/<page>#<anchor>", e.g. "2025-11-25/server/tools#listing-tools". */
  specRef?: string;
  /** Lesson that teaches it, e.g. "m2/getting-started". */
  lesson: string;
  /**
   * The area of a readiness review it belongs to, a kebab-case slug ("protocol", "security",
   * "resilience", ...). Copied into its result; a result with areas gets a readiness summary.
   */
  area?: string;
  /** Hint shown on failure when the failure itself carries none. */
  hint?: string;
  /** Own timeout; default is lab.yaml checkTimeoutMs (5 s). */
  timeoutMs?: number;
  /** Checks that must pass first; otherwise this one is skipped ("skipped: <id> failed first"). */
  requires?: string[];
  /**
   * The check calls ctx.openRawConnection() or ctx.openClient(): for stdio that is a second server
   * process, which the harness then starts early, in parallel with the checks before it.
   */
  usesRawConnection?: boolean;
  /** "final" runs after every other check (e.g. shutdown checks that end the session). */
  stage?: "final";
  /**
   * Decided once the server answered initialize: true if the check applies, or the reason it
   * does not (e.g. "the server declares no prompts"). A check that does not apply is left out of
   * the result (and said so in the transcript), so it neither passes nor fails.
   */
  appliesTo?(server: AppliesToInput): true | string;
  /** Resolve to pass (optionally with a message); throw CheckFailure to fail. */
  run(ctx: CheckContext): Promise<string | undefined> | string | undefined;
}

/** What `appliesTo` can look at: the server after initialize. */
export interface AppliesToInput extends ServerView {
  transport: "stdio" | "http";
  /** Streamable HTTP: the session id issued to the grader's client, if any. */
  httpSessionId?: string;
  /** The submission's language (decides which pinned SDK the learner has); absent for check-server. */
  lang?: "python" | "typescript" | null;
}

/** A line the server wrote to stdout that is not a JSON-RPC message. */
export interface StdoutLine {
  /** ms since the server process started. */
  t: number;
  text: string;
}

/** HTTP access to the server under test (Streamable HTTP labs only). */
export interface HttpAccess {
  /** The MCP endpoint, e.g. "http://127.0.0.1:8000/mcp" (the host is only the Host header). */
  readonly url: string;
  /** Session id the server issued to the grader's client, if any. */
  sessionId(): string | undefined;
  /**
   * A raw request, not through the SDK client: `path` is relative to the server's origin
   * ("/mcp") or a full URL. Goes through the sandbox's socket; not part of the JSON-RPC trace.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * The MCP endpoint as a loopback TCP URL, for tools that need one (the official conformance
   * suite). For a sandboxed server the harness runs a bridge to its socket until the run ends.
   */
  tcpUrl(): Promise<string>;
}

/** A server->client request the grader's client received, and which client request it belongs to. */
export interface ServerRequestSeen extends ServerRequestRecord {
  association: Association;
}

/**
 * Another SDK client on its own connection (ctx.openClient): a new session over HTTP, a second
 * server process over stdio. Its traffic is not in the run's trace; what it sent is still reported
 * as `sent` when the check fails. Closed after the check.
 */
export interface GraderClient {
  readonly capabilities: ClientCapabilities;
  readonly server: ServerView;
  callTool(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  listTools(params?: { cursor?: string }): Promise<ListToolsResult>;
  request(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  onSampling(handler: SamplingHandler): void;
  onElicitation(handler: ElicitationHandler): void;
  onRoots(handler: RootsHandler): void;
  /** Every server->client request on this connection so far. */
  serverRequests(): ServerRequestSeen[];
  close(): Promise<void>;
}

/** The server as the grader's client saw it after `initialize`. */
export interface ServerView {
  info: Implementation | undefined;
  capabilities: ServerCapabilities | undefined;
  /** The protocol version the server answered with. */
  protocolVersion: string | undefined;
  instructions: string | undefined;
}

export interface CheckContext {
  /** The connected SDK client, for anything the helpers below do not cover (not recorded per check). */
  readonly client: Client;
  /** What the main client declared in `initialize` (lab.yaml `client.capabilities`; default none). */
  readonly clientCapabilities: ClientCapabilities;
  readonly transport: "stdio" | "http";
  readonly lang: "python" | "typescript" | null;
  readonly seed: number;
  /**
   * The state of the lab's environment (conformance/lab-environment.ts), e.g. the upstream the
   * grader runs and what it saw; undefined for labs without one. The lab knows its type.
   */
  readonly environment: unknown;
  /** Seeded per (run seed, check id): same seed, same inputs. */
  readonly random: SeededRandom;
  readonly server: ServerView;
  readonly expect: Expect;
  /** Aborted when the check times out. */
  readonly signal: AbortSignal;
  /** Present for Streamable HTTP servers. */
  readonly http?: HttpAccess;

  // Recorded calls: each is remembered for the failure message ("what was sent, what came back").
  // They return the result as the server sent it (no client-side validation of structuredContent).
  listTools(params?: { cursor?: string }): Promise<ListToolsResult>;
  callTool(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  listResources(params?: { cursor?: string }): Promise<ListResourcesResult>;
  listResourceTemplates(params?: { cursor?: string }): Promise<ListResourceTemplatesResult>;
  readResource(uri: string): Promise<ReadResourceResult>;
  listPrompts(params?: { cursor?: string }): Promise<ListPromptsResult>;
  getPrompt(name: string, args?: Record<string, string>): Promise<GetPromptResult>;
  ping(): Promise<void>;
  /** Any request; the result is returned as sent (only checked to be an object). */
  request(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Any notification. */
  notify(method: string, params?: Record<string, unknown>): Promise<void>;

  /** Every page of a list, following nextCursor; fails on a cursor loop or more than 100 pages. */
  allTools(): Promise<Tool[]>;
  allResources(): Promise<Resource[]>;
  allResourceTemplates(): Promise<ResourceTemplate[]>;
  allPrompts(): Promise<Prompt[]>;

  /**
   * A second, unrecorded connection for probes that need their own `initialize` (stdio: another
   * instance of the server, so it costs a start; HTTP: a new session). Closed after the check.
   */
  openRawConnection(): Promise<RawConnection>;
  /**
   * stdio only (for `stage: "final"` checks): closes the server's stdin, as a client shutting down
   * does, and waits up to `timeoutMs` for the process to exit; null if it is still running.
   */
  closeStdinAndWait?(timeoutMs: number): Promise<{ code: number | null; signal: string | null } | null>;

  /**
   * The grader is the client: script the main client's answer to the server's
   * sampling/createMessage, elicitation/create or roots/list for this check (only for capabilities
   * lab.yaml declares). Unscripted: sampling is refused (-1), elicitation declined, roots empty.
   */
  onSampling(handler: SamplingHandler): void;
  onElicitation(handler: ElicitationHandler): void;
  onRoots(handler: RootsHandler): void;
  /**
   * Server->client requests on the main connection since this check started, each with what was
   * in flight, the stream it came on (HTTP), the client's answer and its request association.
   */
  serverRequests(): ServerRequestSeen[];
  /**
   * An SDK client with other capabilities (e.g. none, to grade fallbacks) on a new connection:
   * HTTP a new session, stdio a second server process (mark the check `usesRawConnection`).
   */
  openClient(options: { capabilities: ClientCapabilities }): Promise<GraderClient>;

  /** The server's stderr so far (capped). */
  stderr(): string;
  /** Lines on stdout that were not JSON-RPC (stdio servers). */
  stdoutNoise(): StdoutLine[];
  /** A `[grader]` line in the transcript. */
  log(message: string): void;
}

// Builds the CheckContext a check runs with: recorded convenience calls that turn every way a
// request can go wrong into an McpRequestError saying what was sent and what came back.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CallToolResultSchema,
  type ClientCapabilities,
  EmptyResultSchema,
  GetPromptResultSchema,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ListToolsResultSchema,
  McpError,
  ReadResourceResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CheckContext, GraderClient, ServerRequestSeen, ServerView, StdoutLine } from "../check-api.ts";
import { CheckFailure, createExpect, describe, McpRequestError } from "../check-expect.ts";
import { createRandom } from "../random.ts";
import type { ClientRole } from "./client-role.ts";
import type { RawConnection } from "./raw-connection.ts";
import type { ServerRequestLog } from "./server-requests.ts";

const AnyObjectSchema = z.looseObject({});
const MAX_PAGES = 100;

/** The last request a check made, for "what was sent / what came back" on failure. */
export interface Exchange {
  method: string;
  params: unknown;
  answer?: unknown;
  error?: McpRequestError;
}

/** Another SDK client on its own connection (ctx.openClient), closed after the check. */
export interface OpenedClient {
  client: Client;
  role: ClientRole;
  log: ServerRequestLog;
  server: ServerView;
  close(): Promise<void>;
}

export interface ContextDeps {
  client: Client;
  /** The main client's scripted answers to server->client requests; reset for each check. */
  role: ClientRole;
  /** Server->client requests on the main connection. */
  serverRequests: ServerRequestLog;
  openClient(capabilities: ClientCapabilities): Promise<OpenedClient>;
  transport: "stdio" | "http";
  lang: "python" | "typescript" | null;
  seed: number;
  environment?: unknown;
  checkId: string;
  timeoutMs: number;
  signal: AbortSignal;
  server: ServerView;
  /** True once the connection to the server is gone. */
  isClosed(): boolean;
  stderr(): string;
  stdoutNoise(): StdoutLine[];
  log(message: string): void;
  http?: CheckContext["http"];
  openRawConnection(): Promise<RawConnection>;
  closeStdinAndWait?: CheckContext["closeStdinAndWait"];
}

export interface RecordedContext {
  ctx: CheckContext;
  lastExchange(): Exchange | undefined;
  /** Raw connections and clients opened by the check, closed by the runner afterwards. */
  rawConnections: { close(): Promise<void> }[];
}

function isZodLike(err: unknown): err is { issues: { path: PropertyKey[]; message: string }[] } {
  return typeof err === "object" && err !== null && Array.isArray((err as { issues?: unknown }).issues);
}

export function createContext(deps: ContextDeps): RecordedContext {
  let last: Exchange | undefined;
  const rawConnections: { close(): Promise<void> }[] = [];
  deps.role.reset();
  const requestsMark = deps.serverRequests.mark();
  const seen = (log: ServerRequestLog, mark: number): ServerRequestSeen[] =>
    log.since(mark).map((record) => ({ ...record, association: log.associationOf(record) }));

  const toRequestError = (method: string, params: unknown, err: unknown): McpRequestError => {
    if (err instanceof McpRequestError) return err;
    if (deps.signal.aborted || (err instanceof Error && err.name === "AbortError")) {
      return new McpRequestError(
        "timeout",
        method,
        params,
        `No answer to ${method} within ${deps.timeoutMs / 1000} s.`,
      );
    }
    if (deps.isClosed()) {
      return new McpRequestError(
        "closed",
        method,
        params,
        `The connection closed (the server exited?) before it answered ${method}.`,
      );
    }
    if (err instanceof McpError) {
      // The SDK raises -32001 itself on its own timeout; a server could send it too, but then
      // data carries no `timeout`.
      const data = err.data as { timeout?: unknown } | undefined;
      if (err.code === -32001 && data && typeof data === "object" && "timeout" in data) {
        return new McpRequestError(
          "timeout",
          method,
          params,
          `No answer to ${method} within ${deps.timeoutMs / 1000} s.`,
        );
      }
      // McpError prefixes "MCP error <code>: "; keep the server's own words.
      const text = err.message.replace(/^MCP error -?\d+: /, "");
      return new McpRequestError("rpc-error", method, params, text, err.code, err.data);
    }
    if (isZodLike(err)) {
      const issues = err.issues
        .slice(0, 5)
        .map((i) => `${i.path.map(String).join(".") || "(result)"}: ${i.message}`)
        .join("; ");
      return new McpRequestError(
        "invalid-answer",
        method,
        params,
        `The answer to ${method} is not a valid MCP result: ${issues}`,
      );
    }
    return new McpRequestError(
      "invalid-answer",
      method,
      params,
      `The request ${method} failed: ${(err as Error).message}`,
    );
  };

  const call = async <S extends z.ZodType>(
    method: string,
    params: Record<string, unknown> | undefined,
    schema: S,
    client: Client = deps.client,
  ) => {
    const exchange: Exchange = { method, params };
    last = exchange;
    try {
      const answer = await client.request(
        params === undefined ? { method } : { method, params },
        schema as unknown as typeof AnyObjectSchema,
        { signal: deps.signal, timeout: deps.timeoutMs },
      );
      exchange.answer = answer;
      return answer as z.output<S>;
    } catch (err) {
      exchange.error = toRequestError(method, params, err);
      throw exchange.error;
    }
  };

  /** Follows nextCursor to the end; a repeated cursor or too many pages is the server's fault. */
  const all = async <T>(method: string, schema: z.ZodType, key: string): Promise<T[]> => {
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 1; ; page++) {
      const result = (await call(method, cursor === undefined ? undefined : { cursor }, schema)) as Record<
        string,
        unknown
      >;
      items.push(...((result[key] as T[] | undefined) ?? []));
      const next = result.nextCursor;
      if (typeof next !== "string") return items;
      if (seen.has(next)) {
        throw new CheckFailure(
          `${method} returned nextCursor "${next}" a second time: following it would loop forever.`,
          {
            expected: "each page's nextCursor leads to a new page, and the last page has no nextCursor",
            actual: `cursor "${next}" repeated after ${page} pages`,
            sent: { method, params: { cursor } },
            hint: "Encode the position in the cursor (e.g. the offset of the next item) and omit nextCursor on the last page.",
          },
        );
      }
      if (page >= MAX_PAGES) {
        throw new CheckFailure(`${method} still returned a nextCursor after ${MAX_PAGES} pages.`, {
          expected: "a last page without nextCursor",
          hint: "Omit nextCursor on the last page.",
        });
      }
      seen.add(next);
      cursor = next;
    }
  };

  const openClient = async (capabilities: ClientCapabilities): Promise<GraderClient> => {
    const opened = await deps.openClient(capabilities);
    rawConnections.push(opened);
    const { client, role, log } = opened;
    return {
      capabilities,
      server: opened.server,
      callTool: (name, args) =>
        call("tools/call", { name, arguments: args ?? {} }, CallToolResultSchema, client),
      listTools: (params) => call("tools/list", params, ListToolsResultSchema, client),
      request: (method, params) => call(method, params, AnyObjectSchema, client),
      onSampling: (handler) => role.onSampling(handler),
      onElicitation: (handler) => role.onElicitation(handler),
      onRoots: (handler) => role.onRoots(handler),
      serverRequests: () => seen(log, 0),
      close: () => opened.close(),
    };
  };

  const ctx: CheckContext = {
    client: deps.client,
    clientCapabilities: deps.role.capabilities,
    transport: deps.transport,
    lang: deps.lang,
    seed: deps.seed,
    environment: deps.environment,
    random: createRandom(deps.seed, deps.checkId),
    server: deps.server,
    expect: createExpect(),
    signal: deps.signal,
    http: deps.http,
    listTools: (params) => call("tools/list", params, ListToolsResultSchema),
    callTool: (name, args) => call("tools/call", { name, arguments: args ?? {} }, CallToolResultSchema),
    listResources: (params) => call("resources/list", params, ListResourcesResultSchema),
    listResourceTemplates: (params) =>
      call("resources/templates/list", params, ListResourceTemplatesResultSchema),
    readResource: (uri) => call("resources/read", { uri }, ReadResourceResultSchema),
    listPrompts: (params) => call("prompts/list", params, ListPromptsResultSchema),
    getPrompt: (name, args) =>
      call("prompts/get", args ? { name, arguments: args } : { name }, GetPromptResultSchema),
    ping: async () => {
      await call("ping", undefined, EmptyResultSchema);
    },
    request: (method, params) => call(method, params, AnyObjectSchema),
    notify: async (method, params) => {
      await deps.client.notification(params === undefined ? { method } : { method, params });
    },
    allTools: () => all("tools/list", ListToolsResultSchema, "tools"),
    allResources: () => all("resources/list", ListResourcesResultSchema, "resources"),
    allResourceTemplates: () =>
      all("resources/templates/list", ListResourceTemplatesResultSchema, "resourceTemplates"),
    allPrompts: () => all("prompts/list", ListPromptsResultSchema, "prompts"),
    openRawConnection: async () => {
      const conn = await deps.openRawConnection();
      rawConnections.push(conn);
      return conn;
    },
    closeStdinAndWait: deps.closeStdinAndWait,
    onSampling: (handler) => deps.role.onSampling(handler),
    onElicitation: (handler) => deps.role.onElicitation(handler),
    onRoots: (handler) => deps.role.onRoots(handler),
    serverRequests: () => seen(deps.serverRequests, requestsMark),
    openClient: ({ capabilities }) => openClient(capabilities),
    stderr: deps.stderr,
    stdoutNoise: deps.stdoutNoise,
    log: deps.log,
  };
  return { ctx, lastExchange: () => last, rawConnections };
}

/** "tools/call {"name":"x",...}" for the `sent` field. */
export function describeExchange(exchange: Exchange): string {
  return exchange.params === undefined ? exchange.method : `${exchange.method} ${describe(exchange.params)}`;
}

// Builds the CheckContext a check runs with: recorded convenience calls that turn every way a
// request can go wrong into an McpRequestError saying what was sent and what came back.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CallToolResultSchema,
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
import type { CheckContext, ServerView, StdoutLine } from "../check-api.ts";
import { CheckFailure, createExpect, describe, McpRequestError } from "../check-expect.ts";
import { createRandom } from "../random.ts";
import type { RawConnection } from "./raw-connection.ts";

const AnyObjectSchema = z.looseObject({});
const MAX_PAGES = 100;

/** The last request a check made, for "what was sent / what came back" on failure. */
export interface Exchange {
  method: string;
  params: unknown;
  answer?: unknown;
  error?: McpRequestError;
}

export interface ContextDeps {
  client: Client;
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
  /** Raw connections opened by the check, closed by the runner afterwards. */
  rawConnections: RawConnection[];
}

function isZodLike(err: unknown): err is { issues: { path: PropertyKey[]; message: string }[] } {
  return typeof err === "object" && err !== null && Array.isArray((err as { issues?: unknown }).issues);
}

export function createContext(deps: ContextDeps): RecordedContext {
  let last: Exchange | undefined;
  const rawConnections: RawConnection[] = [];

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
  ) => {
    const exchange: Exchange = { method, params };
    last = exchange;
    try {
      const answer = await deps.client.request(
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

  const ctx: CheckContext = {
    client: deps.client,
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

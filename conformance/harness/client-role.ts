// The grader as a client: answers the server's sampling/createMessage, elicitation/create and
// roots/list with what the running check scripted. The SDK handlers are registered once per
// connection, and only for the capabilities that client declared (the SDK refuses a handler for an
// undeclared one, and a client without the capability answers -32601, as a real one would).
// Scripted answers last for one check: reset() puts the defaults back.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  type ClientCapabilities,
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  ListRootsRequestSchema,
  type ListRootsResult,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";

export type SamplingParams = CreateMessageRequest["params"];
export type ElicitationParams = ElicitRequest["params"];

/** Return the completion, or throw (e.g. `clientError(-1, "User rejected sampling request")`). */
export type SamplingHandler = (params: SamplingParams) => CreateMessageResult | Promise<CreateMessageResult>;
/** Return accept (with content for form mode), decline or cancel. */
export type ElicitationHandler = (params: ElicitationParams) => ElicitResult | Promise<ElicitResult>;
export type RootsHandler = () => ListRootsResult | Promise<ListRootsResult>;

export interface ClientRole {
  readonly capabilities: ClientCapabilities;
  onSampling(handler: SamplingHandler): void;
  onElicitation(handler: ElicitationHandler): void;
  onRoots(handler: RootsHandler): void;
  /** Back to the defaults (between checks). */
  reset(): void;
}

/** A JSON-RPC error for a scripted handler to throw, e.g. the spec's -1 for a refused sampling request. */
export function clientError(code: number, message: string, data?: unknown): Error {
  return new McpError(code, message, data);
}

// Unscripted: what a cautious user would do. A check that cares scripts its own answer.
const defaultSampling: SamplingHandler = () => {
  throw clientError(-1, "User rejected sampling request (the grader scripted no completion for this check)");
};
const defaultElicitation: ElicitationHandler = () => ({ action: "decline" });
const defaultRoots: RootsHandler = () => ({ roots: [] });

export function installClientRole(client: Client, capabilities: ClientCapabilities): ClientRole {
  let sampling = defaultSampling;
  let elicitation = defaultElicitation;
  let roots = defaultRoots;
  if (capabilities.sampling)
    client.setRequestHandler(CreateMessageRequestSchema, (request) => sampling(request.params));
  if (capabilities.elicitation)
    client.setRequestHandler(ElicitRequestSchema, (request) => elicitation(request.params));
  if (capabilities.roots) client.setRequestHandler(ListRootsRequestSchema, () => roots());
  const refuse = (capability: string) => () => {
    throw new Error(`this client does not declare the ${capability} capability: nothing to script`);
  };
  return {
    capabilities,
    onSampling: capabilities.sampling
      ? (handler) => {
          sampling = handler;
        }
      : refuse("sampling"),
    onElicitation: capabilities.elicitation
      ? (handler) => {
          elicitation = handler;
        }
      : refuse("elicitation"),
    onRoots: capabilities.roots
      ? (handler) => {
          roots = handler;
        }
      : refuse("roots"),
    reset() {
      sampling = defaultSampling;
      elicitation = defaultElicitation;
      roots = defaultRoots;
    },
  };
}

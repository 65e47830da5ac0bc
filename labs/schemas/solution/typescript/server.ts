// Ticket triage: the reference solution of the `schemas` lab (TypeScript).
//
// Strict input schemas, typed structured output and actionable errors, with the official MCP
// TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) and zod. Node 24 runs this file directly
// (type stripping), so it sticks to erasable TypeScript.
//
// stdout carries the JSON-RPC protocol and nothing else: every log line goes to stderr.
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const log = (message: string): void => {
  console.error(`${new Date().toISOString()} tickets ${message}`);
};

const Priority = z.enum(["low", "medium", "high", "urgent"]);
const Component = z.enum(["api", "web", "mobile", "billing", "infra"]);

// .strict() rejects unknown keys (a typo like `priorty` would otherwise be dropped silently and
// the default would win) and publishes `additionalProperties: false`.
const CreateTicketInput = z
  .object({
    title: z.string().min(3).max(120).describe("One-line summary, 3 to 120 characters."),
    priority: Priority.default("medium").describe("How urgent the fix is. Defaults to medium."),
    component: Component.describe("The part of the product that is affected."),
    estimate_hours: z.number().int().min(1).max(40).describe("Whole hours of work, 1 to 40."),
    labels: z
      .array(z.string().min(1).max(30))
      .max(5)
      .refine((labels) => new Set(labels).size === labels.length, { message: "labels must be unique" })
      // zod has no uniqueItems keyword of its own: publish it so clients see the rule too.
      .meta({ uniqueItems: true })
      .optional()
      .describe("Up to 5 distinct labels."),
  })
  .strict();

const Ticket = z
  .object({
    id: z
      .string()
      .regex(/^TCK-\d{4,}$/)
      .describe("Stable ticket id, e.g. TCK-0001."),
    title: z.string(),
    priority: Priority,
    component: Component,
    estimate_hours: z.number().int().min(1).max(40),
    labels: z.array(z.string()),
    status: z.literal("open"),
    uri: z.string().describe("The versioned resource URI of this ticket."),
  })
  .strict();
type Ticket = z.infer<typeof Ticket>;

const tickets = new Map<string, Ticket>();

const server = new McpServer(
  { name: "ticket-triage", version: "1.0.0" },
  {
    instructions:
      "Create tickets with create_ticket and read them with get_ticket or tickets://v1/{id}. " +
      "The ticket JSON Schema is at schema://v1/ticket.",
  },
);

// structuredContent for clients that read it, plus the same JSON as text for older clients.
const reply = (ticket: Ticket) => ({
  content: [{ type: "text" as const, text: JSON.stringify(ticket) }],
  structuredContent: ticket,
});

server.registerTool(
  "create_ticket",
  {
    description:
      "Open a new ticket in the triage queue. Use this when the user reports a bug or asks for work to be " +
      "tracked. Returns the created ticket; its `id` is what get_ticket expects.",
    inputSchema: CreateTicketInput,
    outputSchema: Ticket,
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  (input) => {
    const id = `TCK-${String(tickets.size + 1).padStart(4, "0")}`;
    const ticket: Ticket = {
      id,
      title: input.title,
      priority: input.priority,
      component: input.component,
      estimate_hours: input.estimate_hours,
      labels: input.labels ?? [],
      status: "open",
      uri: `tickets://v1/${id}`,
    };
    tickets.set(id, ticket);
    log(`created ${id}`);
    return reply(ticket);
  },
);

server.registerTool(
  "get_ticket",
  {
    description: "Fetch one ticket by id. Use this to check a ticket's priority, estimate or labels.",
    inputSchema: z
      .object({ id: z.string().describe("A ticket id returned by create_ticket, e.g. TCK-0001.") })
      .strict(),
    outputSchema: Ticket,
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  ({ id }) => {
    const ticket = tickets.get(id);
    if (!ticket) {
      // A domain error the model can act on: name the input and say what to do next.
      return {
        content: [
          {
            type: "text",
            text:
              `No ticket with id '${id}'. Ticket ids look like TCK-0001 and are returned by create_ticket; ` +
              "check the id or create the ticket first.",
          },
        ],
        isError: true,
      };
    }
    return reply(ticket);
  },
);

server.registerResource(
  "ticket",
  new ResourceTemplate("tickets://v1/{id}", { list: undefined }),
  {
    description: "One ticket as JSON (version 1 of the ticket format; see schema://v1/ticket).",
    mimeType: "application/json",
  },
  (uri, { id }) => {
    const ticket = typeof id === "string" ? tickets.get(id) : undefined;
    if (!ticket) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `No ticket with id '${String(id)}'. Use an id returned by create_ticket, e.g. TCK-0001.`,
      );
    }
    return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(ticket) }] };
  },
);

server.registerResource(
  "ticket-schema",
  "schema://v1/ticket",
  {
    description: "The JSON Schema of a ticket, version 1. A breaking change gets schema://v2/ticket.",
    mimeType: "application/schema+json",
  },
  (uri) => ({
    contents: [
      { uri: uri.href, mimeType: "application/schema+json", text: JSON.stringify(z.toJSONSchema(Ticket)) },
    ],
  }),
);

await server.connect(new StdioServerTransport());
log("ticket triage server running on stdio");

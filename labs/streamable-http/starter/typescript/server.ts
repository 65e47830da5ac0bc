// Hello service: your starting point for the `streamable-http` lab (TypeScript).
//
// The official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) and zod. Node 24 runs this
// file directly (type stripping), so it sticks to erasable TypeScript.
//
// This service works, over stdio, for one client at a time. The lab moves it to Streamable HTTP,
// where many clients share one process. Read README.md for the task and the checks that grade it,
// and run the grader locally with:
//
//   npm run grade -- --lab streamable-http --dir labs/streamable-http/starter/typescript --lang typescript
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const log = (message: string): void => {
  console.error(`${new Date().toISOString()} hello-http ${message}`);
};

interface Greeting {
  [key: string]: unknown;
  id: string;
  to: string;
  message: string;
  replayed: boolean;
}

// Over stdio one process serves one client, so module-level state was "the client's state".
const sent: Greeting[] = [];
const jobs = new Map<string, { job: string; n: number; ticks: number; state: string }>();

const reply = <T extends Record<string, unknown>>(data: T) => ({
  content: [{ type: "text" as const, text: JSON.stringify(data) }],
  structuredContent: data,
});

const server = new McpServer({ name: "hello-http", version: "1.0.0" });

server.registerTool(
  "greet",
  {
    description: "Say hello to someone. Use this when the user wants a greeting; it stores nothing.",
    inputSchema: { name: z.string() },
    outputSchema: { greeting: z.string() },
  },
  ({ name }) => reply({ greeting: `Hello, ${name}!` }),
);

const GreetingShape = { id: z.string(), to: z.string(), message: z.string(), replayed: z.boolean() };

server.registerTool(
  "send_greeting",
  {
    description: "Send a greeting and keep it in the outbox. Use this when the user asks to send a greeting.",
    inputSchema: { to: z.string(), message: z.string(), idempotency_key: z.string() },
    outputSchema: GreetingShape,
  },
  ({ to, message }) => {
    // TODO: a retry with the same idempotency_key must return the first greeting (replayed: true)
    //       and send nothing; the same key with a different greeting is an error.
    const greeting: Greeting = { id: `g-${sent.length + 1}`, to, message, replayed: false };
    sent.push(greeting);
    return reply(greeting);
  },
);

server.registerTool(
  "outbox",
  {
    description: "List the greetings sent so far, oldest first. Use this to check what was already sent.",
    outputSchema: { greetings: z.array(z.object(GreetingShape)) },
  },
  () => reply({ greetings: [...sent] }),
);

server.registerTool(
  "slow_count",
  {
    description: "Count from 1 to n, one tick every delay_ms. Use this to try long-running calls.",
    inputSchema: {
      job: z.string(),
      n: z.number().int().min(1),
      delay_ms: z.number().int().min(1).default(100),
    },
    outputSchema: { job: z.string(), counted: z.number().int() },
  },
  async ({ job, n, delay_ms }) => {
    const record = { job, n, ticks: 0, state: "running" };
    jobs.set(job, record);
    for (let tick = 1; tick <= n; tick++) {
      await new Promise((resolve) => setTimeout(resolve, delay_ms));
      record.ticks = tick;
      // TODO: report progress when the client asked for it (extra._meta?.progressToken), and
      //       stop when the client cancels the request (extra.signal).
    }
    record.state = "done";
    return reply({ job, counted: n });
  },
);

server.registerResource(
  "job",
  new ResourceTemplate("jobs://{job}", { list: undefined }),
  {
    description: "A slow_count job: how far it got (ticks) and whether it is running or done.",
    mimeType: "application/json",
  },
  (uri, { job }) => {
    const record = jobs.get(String(job));
    if (!record)
      throw new McpError(ErrorCode.InvalidParams, `No job '${job}'. Start one with slow_count(job=...).`);
    return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(record) }] };
  },
);

// TODO: serve Streamable HTTP on 127.0.0.1, port from the PORT environment variable, path /mcp,
//       with sessions, and with the Host and Origin checks a local HTTP server needs.
await server.connect(new StdioServerTransport());
log("serving on stdio");

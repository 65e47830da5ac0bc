// Inventory: your starting point for the `resilience-observability` lab (TypeScript).
//
// Uses the official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2), zod and Node's global
// fetch. Node 24 runs this file directly (type stripping), so keep to erasable TypeScript.
//
// get_stock works while the inventory API is healthy, and that is all: no timeout, no retry, no
// circuit breaker, the upstream's error body handed to the user, plain-text logs and no metrics.
// Read README.md for the task and the checks that grade it. Run the grader locally with:
//
//   npm run grade -- --lab resilience-observability --dir labs/resilience-observability/starter/typescript --lang typescript
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

// The grader runs the inventory API and passes its address and a bearer token in the environment.
const UPSTREAM_URL = process.env.UPSTREAM_URL ?? "http://127.0.0.1:9100";
const UPSTREAM_TOKEN = process.env.UPSTREAM_TOKEN ?? "";

const server = new McpServer({ name: "inventory", version: "0.1.0" });

server.registerTool(
  "get_stock",
  {
    description:
      "How many units of a product are available, and in which warehouse. Use this when the user asks whether " +
      "an item is in stock or how many can be promised.",
    inputSchema: { sku: z.string() },
  },
  async ({ sku }) => {
    console.error(`get_stock ${sku}`);
    const response = await fetch(`${UPSTREAM_URL}/v1/stock/${sku}`, {
      headers: { authorization: `Bearer ${UPSTREAM_TOKEN}` },
    });
    if (!response.ok) {
      return {
        content: [{ type: "text", text: `Upstream error ${response.status}: ${await response.text()}` }],
        isError: true,
      };
    }
    const stock = await response.json();
    return { content: [{ type: "text", text: JSON.stringify(stock) }], structuredContent: stock };
  },
);

await server.connect(new StdioServerTransport());

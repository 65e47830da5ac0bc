// Contract tests for the library-desk server (contract-tests lab, starter).
//
// The grader copies the lab's server.ts next to this file on every run, so the tests can start it
// the way clients do: `node server.ts` over stdio. Run them locally with `npx vitest run` in a
// folder holding this file and a copy of labs/contract-tests/subject/typescript/server.ts.
//
// This starter only checks that the four tools are listed. Grow it into a contract suite:
// - a golden copy of the contract (tools/list: names, inputSchema, outputSchema), and a check that
//   nothing a client relies on has changed: no tool, argument or output field gone, no type
//   changed, no argument newly required. New tools, new optional arguments, new output fields,
//   reworded descriptions and another order must NOT fail it;
// - behaviour: real calls whose results have the documented types, and every documented error case
//   (unknown ISBN, no copy on the shelf, unknown loan) answered with isError.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, expect, test } from "vitest";

const client = new Client({ name: "contract-tests", version: "1.0.0" });

beforeAll(async () => {
  const cwd = new URL(".", import.meta.url).pathname;
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ["server.ts"], cwd }));
});
afterAll(() => client.close());

test("the tools are listed", async () => {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(
    expect.arrayContaining(["search_books", "get_book", "borrow_book", "return_book"]),
  );
});

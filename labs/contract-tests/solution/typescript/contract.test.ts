// Contract tests for the library-desk server: the reference solution of the `contract-tests` lab.
//
// Two layers, as in the lesson:
// 1. Compatibility with the released contract (golden/contract.json, recorded from the server as
//    shipped): every tool, argument and output field a client relies on is still there with its
//    type, no argument became required. New tools, new optional arguments, new output fields,
//    reworded descriptions and another order are allowed: they break no client.
// 2. Behaviour over the real protocol: results have the documented types, and every documented
//    error case is still an error (tools/list cannot show that).
//
// The server is started the way clients start it, `node server.ts` over stdio, once for the file.
// Record the golden file again after an intended release with `UPDATE_GOLDEN=1 npx vitest run`.
import { readFileSync, writeFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, expect, test } from "vitest";

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
};
type ToolContract = {
  name: string;
  inputSchema: Schema;
  outputSchema?: Schema;
  annotations?: { readOnlyHint?: boolean };
};
type Contract = { tools: ToolContract[] };

const HERE = new URL(".", import.meta.url);
const GOLDEN = new URL("golden/contract.json", HERE);
const UNKNOWN_ISBN = "978-0-00-000000-0";

const client = new Client({ name: "contract-tests", version: "1.0.0" });

beforeAll(async () => {
  const cwd = HERE.pathname;
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ["server.ts"], cwd }));
});
afterAll(() => client.close());

/** tools/list reduced to what clients depend on, sorted by name (no order is promised). */
async function publishedContract(): Promise<Contract> {
  const { tools } = await client.listTools();
  return {
    tools: tools
      .map(({ name, inputSchema, outputSchema, annotations }) => ({
        name,
        inputSchema,
        outputSchema,
        annotations,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)) as ToolContract[],
  };
}

// --- the compatibility check ------------------------------------------------------------------

/** What an existing parser of `old` would trip over in `next` (new fields are fine). */
function outputBreaks(path: string, old: Schema, next: Schema): string[] {
  if (old.type !== next.type) return [`${path}: type ${old.type} -> ${next.type}`];
  const problems: string[] = [];
  if (old.type === "object") {
    for (const field of old.required ?? [])
      if (!next.required?.includes(field)) problems.push(`${path}.${field}: no longer guaranteed`);
    for (const [field, before] of Object.entries(old.properties ?? {})) {
      const after = next.properties?.[field];
      if (!after) problems.push(`${path}.${field}: removed`);
      else problems.push(...outputBreaks(`${path}.${field}`, before, after));
    }
  }
  if (old.type === "array") problems.push(...outputBreaks(`${path}[]`, old.items ?? {}, next.items ?? {}));
  return problems;
}

/** What an existing call that was valid against `old` would fail on in `next`. */
function inputBreaks(tool: string, old: Schema, next: Schema): string[] {
  const problems = (next.required ?? [])
    .filter((arg) => !old.required?.includes(arg))
    .map((arg) => `${tool}: argument '${arg}' is now required`);
  for (const [arg, before] of Object.entries(old.properties ?? {})) {
    const after = next.properties?.[arg];
    if (!after) problems.push(`${tool}: argument '${arg}' removed or renamed`);
    else if (after.type !== before.type)
      problems.push(`${tool}.${arg}: type ${before.type} -> ${after.type}`);
  }
  return problems;
}

function breakingChanges(old: Contract, next: Contract): string[] {
  const current = new Map(next.tools.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const tool of old.tools) {
    const now = current.get(tool.name);
    if (!now) {
      problems.push(`${tool.name}: tool removed or renamed`);
      continue;
    }
    problems.push(...inputBreaks(tool.name, tool.inputSchema, now.inputSchema));
    if (tool.outputSchema) {
      if (!now.outputSchema) problems.push(`${tool.name}: outputSchema removed`);
      else problems.push(...outputBreaks(tool.name, tool.outputSchema, now.outputSchema));
    }
    if (tool.annotations?.readOnlyHint && !now.annotations?.readOnlyHint)
      problems.push(`${tool.name}: was read-only, now may write`);
  }
  return problems;
}

test("no breaking change since the golden contract", async () => {
  const current = await publishedContract();
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, `${JSON.stringify(current, null, 2)}\n`);
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as Contract;
  expect(breakingChanges(golden, current)).toEqual([]);
});

// --- behaviour --------------------------------------------------------------------------------

type Result = Awaited<ReturnType<Client["callTool"]>>;

async function call(name: string, args: Record<string, unknown>): Promise<Result> {
  return client.callTool({ name, arguments: args });
}

function structured(result: Result): Record<string, unknown> {
  expect(result.isError, `unexpected tool error: ${JSON.stringify(result.content)}`).toBeFalsy();
  expect(result.structuredContent, "no structuredContent").toBeTypeOf("object");
  return result.structuredContent as Record<string, unknown>;
}

function expectBook(book: Record<string, unknown>): void {
  for (const field of ["isbn", "title", "author"]) expect(book[field], `book.${field}`).toBeTypeOf("string");
  for (const field of ["year", "available_copies"])
    expect(Number.isInteger(book[field]), `book.${field}`).toBe(true);
}

test("search returns typed books", async () => {
  const result = structured(await call("search_books", { query: "the" }));
  const books = result.books as Record<string, unknown>[];
  expect(books.length).toBeGreaterThan(0);
  expect(Number.isInteger(result.total) && (result.total as number) >= books.length).toBe(true);
  for (const book of books) expectBook(book);
});

test("every tool accepts its required arguments alone", async () => {
  const found = structured(await call("search_books", { query: "linux" }));
  const isbn = (found.books as Record<string, unknown>[])[0].isbn as string;
  expectBook(structured(await call("get_book", { isbn })));
  const loan = structured(await call("borrow_book", { isbn, member_id: "M-0042" }));
  expect(loan).toMatchObject({ isbn, member_id: "M-0042", loan_id: expect.any(String) });
  expect(loan.due_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const returned = structured(await call("return_book", { loan_id: loan.loan_id }));
  expect(returned).toMatchObject({ isbn, late: false });
});

test("an unknown ISBN is an error", async () => {
  const result = await call("get_book", { isbn: UNKNOWN_ISBN });
  expect(result.isError, `get_book succeeded: ${JSON.stringify(result.structuredContent)}`).toBe(true);
});

test("borrowing a book with no copy on the shelf is an error", async () => {
  const found = structured(await call("search_books", { query: "design patterns" }));
  const book = (found.books as Record<string, unknown>[])[0];
  expect(book.available_copies).toBe(0);
  const result = await call("borrow_book", { isbn: book.isbn, member_id: "M-0042" });
  expect(result.isError, `borrow_book lent it: ${JSON.stringify(result.structuredContent)}`).toBe(true);
});

test("returning an unknown loan is an error", async () => {
  const result = await call("return_book", { loan_id: "L-9999" });
  expect(result.isError, `return_book accepted it: ${JSON.stringify(result.structuredContent)}`).toBe(true);
});

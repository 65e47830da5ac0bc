// Library desk: the server under test in the `contract-tests` lab (TypeScript).
//
// You do not change this file: you write contract tests for it. The grader runs your tests against
// this server as shipped, against breaking variants of it, and against compatible ones.
//
// The official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) and zod; Node 24 runs this file
// directly (type stripping). stdout carries JSON-RPC only; logs go to stderr. The
// `// --- tool: ... ---` lines mark where each tool starts.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

interface Entry {
  isbn: string;
  title: string;
  author: string;
  year: number;
}

const CATALOGUE: Entry[] = [
  { isbn: "978-0-13-595705-9", title: "The Pragmatic Programmer", author: "David Thomas", year: 2019 },
  {
    isbn: "978-1-4493-7332-0",
    title: "Designing Data-Intensive Applications",
    author: "Martin Kleppmann",
    year: 2017,
  },
  {
    isbn: "978-0-262-51087-5",
    title: "Structure and Interpretation of Computer Programs",
    author: "Harold Abelson",
    year: 1996,
  },
  { isbn: "978-0-201-63361-0", title: "Design Patterns", author: "Erich Gamma", year: 1994 },
  { isbn: "978-1-59327-952-3", title: "The Linux Command Line", author: "William Shotts", year: 2019 },
  { isbn: "978-0-596-51774-8", title: "JavaScript: The Good Parts", author: "Douglas Crockford", year: 2008 },
];
// Copies on the shelf per ISBN: Design Patterns has none left.
const shelf = new Map<string, number>([
  ["978-0-13-595705-9", 2],
  ["978-1-4493-7332-0", 1],
  ["978-0-262-51087-5", 1],
  ["978-0-201-63361-0", 0],
  ["978-1-59327-952-3", 3],
  ["978-0-596-51774-8", 1],
]);
const loans = new Map<string, { isbn: string; due: string }>();

const Book = z.object({
  isbn: z.string(),
  title: z.string(),
  author: z.string(),
  year: z.number().int(),
  available_copies: z.number().int(),
});

const toBook = (entry: Entry) => ({
  isbn: entry.isbn,
  title: entry.title,
  author: entry.author,
  year: entry.year,
  available_copies: shelf.get(entry.isbn) ?? 0,
});

const find = (isbn: string): Entry | undefined => CATALOGUE.find((entry) => entry.isbn === isbn);

// structuredContent for clients that read it, and the same JSON as text for those that do not.
const reply = (value: Record<string, unknown>) => ({
  content: [{ type: "text" as const, text: JSON.stringify(value) }],
  structuredContent: value,
});
const toolError = (message: string) => ({
  content: [{ type: "text" as const, text: message }],
  isError: true,
});

function search(query: string, limit: number, availableOnly: boolean) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  let found = CATALOGUE.filter((e) => words.every((w) => `${e.title} ${e.author}`.toLowerCase().includes(w)));
  if (availableOnly) found = found.filter((e) => (shelf.get(e.isbn) ?? 0) > 0);
  return reply({ books: found.slice(0, limit).map(toBook), total: found.length });
}

function lookup(isbn: string) {
  const entry = find(isbn);
  if (!entry) return toolError(`No book with ISBN '${isbn}'. Use search_books to find the ISBN first.`);
  return reply(toBook(entry));
}

function lend(isbn: string, memberId: string, days: number) {
  const entry = find(isbn);
  if (!entry) return toolError(`Cannot lend '${isbn}': no book has this ISBN. Use search_books to find it.`);
  if ((shelf.get(isbn) ?? 0) === 0) {
    return toolError(`No copy of '${entry.title}' is on the shelf. Try again after a return.`);
  }
  shelf.set(isbn, (shelf.get(isbn) ?? 0) - 1);
  const loanId = `L-${String(loans.size + 1).padStart(4, "0")}`;
  const due = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  loans.set(loanId, { isbn, due });
  console.error(`loan ${loanId}: ${isbn} to ${memberId}`);
  return reply({ loan_id: loanId, isbn, member_id: memberId, due_date: due });
}

function giveBack(loanId: string) {
  const loan = loans.get(loanId);
  if (!loan) return toolError(`No open loan '${loanId}'. It was never made or is already returned.`);
  loans.delete(loanId);
  shelf.set(loan.isbn, (shelf.get(loan.isbn) ?? 0) + 1);
  return reply({ loan_id: loanId, isbn: loan.isbn, late: new Date().toISOString().slice(0, 10) > loan.due });
}

const server = new McpServer({ name: "library-desk", version: "2.1.0" });

// --- tool: search_books ---
server.registerTool(
  "search_books",
  {
    description: "Search the catalogue by title or author. Use this to find a book's ISBN.",
    inputSchema: {
      query: z.string().min(1).describe("Words to look for in titles and author names."),
      limit: z.number().int().min(1).max(20).default(5).describe("Most books to return."),
      available_only: z.boolean().default(false).describe("Only books with a copy on the shelf."),
    },
    outputSchema: { books: z.array(Book), total: z.number().int() },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async ({ query, limit, available_only }) => search(query, limit, available_only),
);

// --- tool: get_book ---
server.registerTool(
  "get_book",
  {
    description: "Fetch one book by ISBN, with the number of copies on the shelf.",
    inputSchema: {
      isbn: z.string().describe("The ISBN-13 that search_books returned."),
    },
    outputSchema: Book.shape,
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async ({ isbn }) => lookup(isbn),
);

// --- tool: borrow_book ---
server.registerTool(
  "borrow_book",
  {
    description: "Lend a copy of a book to a member. Fails when no copy is on the shelf.",
    inputSchema: {
      isbn: z.string().describe("ISBN-13 of the book to lend."),
      member_id: z
        .string()
        .regex(/^M-\d{4}$/)
        .describe("Library card number, e.g. M-0042."),
      days: z.number().int().min(1).max(28).default(14).describe("Length of the loan in days."),
    },
    outputSchema: {
      loan_id: z.string(),
      isbn: z.string(),
      member_id: z.string(),
      due_date: z.string().describe("Last day of the loan, YYYY-MM-DD."),
    },
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  async ({ isbn, member_id, days }) => lend(isbn, member_id, days),
);

// --- tool: return_book ---
server.registerTool(
  "return_book",
  {
    description: "Return a borrowed copy to the shelf. Tells whether the loan was late.",
    inputSchema: {
      loan_id: z.string().describe("The loan_id that borrow_book returned."),
    },
    outputSchema: { loan_id: z.string(), isbn: z.string(), late: z.boolean() },
    annotations: { readOnlyHint: false, idempotentHint: false },
  },
  async ({ loan_id }) => giveBack(loan_id),
);

// --- end of tools ---

await server.connect(new StdioServerTransport());

// The variants of the library-desk server (subject/) that grade a learner's contract tests.
// Each is a short list of declarative edits of the subject's source, so it reads as one diff.
// Which tool, argument or field a variant touches, and the new names, come from the seed: a suite
// that hard-codes the grader's variants fails on another seed; a real contract suite passes all.
import {
  applyEdits,
  createRandom,
  type SourceEdit,
  type SubjectVariant,
  type VariantKind,
  type VariantsInput,
} from "../../conformance/test-suite-api.ts";

type Lang = VariantsInput["lang"];
type Edits = Record<Lang, SourceEdit[]>;

interface Option {
  change: string;
  edits: Edits;
}

export interface MutantSpec {
  id: string;
  kind: VariantKind;
  title: string;
  hint: string;
  specRef: string;
  /** Every concrete form of this mutant; the seed picks one per run. */
  options: Option[];
}

const LESSON = "m7/contract-tests";
const ENTRY: Record<Lang, string> = { python: "server.py", typescript: "server.ts" };
const TOOLS = ["search_books", "get_book", "borrow_book", "return_book"] as const;
type Tool = (typeof TOOLS)[number];

const block = (tool: string) => `tool: ${tool}`;
/** The same edit in both languages. */
const both = (edit: SourceEdit): Edits => ({ python: [edit], typescript: [edit] });

const RENAMES: Array<[Tool, string]> = [
  ["search_books", "find_books"],
  ["search_books", "search_catalogue"],
  ["get_book", "fetch_book"],
  ["get_book", "book_details"],
  ["borrow_book", "checkout_book"],
  ["return_book", "checkin_book"],
];

/** An argument rename: the schema line and the call site, in each language. */
const ARGUMENTS: Array<{
  tool: Tool;
  arg: string;
  to: string[];
  python: [string, string];
  typescript: [string, string];
}> = [
  {
    tool: "search_books",
    arg: "query",
    to: ["q", "text"],
    python: ["    query: Annotated[", "return search(query, limit, available_only)"],
    typescript: ["      query: z.string()", "async ({ query, limit, available_only }) =>"],
  },
  {
    tool: "get_book",
    arg: "isbn",
    to: ["book_isbn", "isbn13"],
    python: ["    isbn: Annotated[", "return lookup(isbn)"],
    typescript: ["      isbn: z.string()", "async ({ isbn }) =>"],
  },
  {
    tool: "borrow_book",
    arg: "member_id",
    to: ["patron_id", "card_number"],
    python: ["    member_id: Annotated[", "return lend(isbn, member_id, days)"],
    typescript: ["      member_id: z\n", "async ({ isbn, member_id, days }) =>"],
  },
  {
    tool: "return_book",
    arg: "loan_id",
    to: ["loan", "loan_ref"],
    python: ["    loan_id: Annotated[", "return give_back(loan_id)"],
    typescript: ["      loan_id: z.string()", "async ({ loan_id }) =>"],
  },
];

function renameArgument(a: (typeof ARGUMENTS)[number], to: string): Edits {
  const within = block(a.tool);
  const [pySchema, pyCall] = a.python;
  const [tsSchema, tsCall] = a.typescript;
  return {
    python: [
      { within, find: pySchema, replace: pySchema.replace(a.arg, to) },
      { within, find: pyCall, replace: pyCall.replace(new RegExp(`\\b${a.arg}\\b`), to) },
    ],
    typescript: [
      { within, find: tsSchema, replace: tsSchema.replace(a.arg, to) },
      // Destructure the new name into the old variable: only the published name changes.
      { within, find: tsCall, replace: tsCall.replace(new RegExp(`\\b${a.arg}\\b`), `${to}: ${a.arg}`) },
    ],
  };
}

const DESCRIPTIONS: Record<Tool, { old: string; new: [string, string] }> = {
  search_books: {
    old: "Search the catalogue by title or author. Use this to find a book's ISBN.",
    new: [
      "Find books whose title or author contains every word of the query. Returns their ISBNs.",
      "Look up books by words from the title or the author's name; start here to get an ISBN.",
    ],
  },
  get_book: {
    old: "Fetch one book by ISBN, with the number of copies on the shelf.",
    new: [
      "Get one book's details and how many copies are available, by ISBN.",
      "Read a single catalogue entry by its ISBN-13, including the copies on the shelf.",
    ],
  },
  borrow_book: {
    old: "Lend a copy of a book to a member. Fails when no copy is on the shelf.",
    new: [
      "Check out a book for a library member. Refused when every copy is already out.",
      "Record a loan of one copy to a member; fails if the shelf is empty.",
    ],
  },
  return_book: {
    old: "Return a borrowed copy to the shelf. Tells whether the loan was late.",
    new: [
      "Check a borrowed book back in and say whether it came back after the due date.",
      "Close a loan and put the copy back on the shelf; reports lateness.",
    ],
  },
};

const addedToolPython = (name: string) => `# --- tool: ${name} ---
class CatalogueStats(BaseModel):
    titles: int
    copies_on_shelf: int


@mcp.tool(name="${name}", annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def ${name}() -> CatalogueStats:
    """Count the titles in the catalogue and the copies on the shelf."""
    return CatalogueStats(titles=len(CATALOGUE), copies_on_shelf=sum(shelf.values()))


`;

const addedToolTypescript = (name: string) => `// --- tool: ${name} ---
server.registerTool(
  "${name}",
  {
    description: "Count the titles in the catalogue and the copies on the shelf.",
    inputSchema: {},
    outputSchema: { titles: z.number().int(), copies_on_shelf: z.number().int() },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async () => reply({ titles: CATALOGUE.length, copies_on_shelf: [...shelf.values()].reduce((a, b) => a + b, 0) }),
);

`;

export const MUTANTS: MutantSpec[] = [
  {
    id: "tool-removed",
    kind: "breaking",
    title: "your suite fails when a tool is removed",
    hint: "Pin the contract: list the tools and check that every tool a client may call is still there (compare with the names in your golden file).",
    specRef: "2025-11-25/server/tools#listing-tools",
    options: TOOLS.map((tool) => ({
      change: `the tool ${tool} is removed`,
      edits: both({ removeBlock: block(tool) }),
    })),
  },
  {
    id: "tool-renamed",
    kind: "breaking",
    title: "your suite fails when a tool is renamed",
    hint: "A rename is a removal for every client that calls the old name: check the tool names against your golden file.",
    specRef: "2025-11-25/server/tools#listing-tools",
    options: RENAMES.map(([tool, to]) => ({
      change: `${tool} is renamed to ${to}`,
      edits: {
        python: [{ within: block(tool), find: `name="${tool}"`, replace: `name="${to}"` }],
        typescript: [{ within: block(tool), find: `"${tool}",`, replace: `"${to}",` }],
      },
    })),
  },
  {
    id: "param-renamed",
    kind: "breaking",
    title: "your suite fails when a tool's argument is renamed",
    hint: "Old calls now send an argument the tool does not know and miss the one it needs. Compare each tool's inputSchema properties with your golden copy: every old property must still be there, with its type.",
    specRef: "2025-11-25/server/tools#tool",
    options: ARGUMENTS.flatMap((a) =>
      a.to.map((to) => ({
        change: `the argument "${a.arg}" of ${a.tool} is renamed to "${to}"`,
        edits: renameArgument(a, to),
      })),
    ),
  },
  {
    id: "param-made-required",
    kind: "breaking",
    title: "your suite fails when an optional argument becomes required",
    hint: "Calls that leave the argument out now fail validation. Check that each inputSchema's required list has not grown, and call each tool with only its required arguments.",
    specRef: "2025-11-25/server/tools#tool",
    options: [
      {
        change: `the optional argument "limit" of search_books becomes required`,
        edits: {
          python: [{ within: block("search_books"), find: `return.")] = 5,`, replace: `return.")],` }],
          typescript: [{ within: block("search_books"), find: ".max(20).default(5)", replace: ".max(20)" }],
        },
      },
      {
        change: `the optional argument "available_only" of search_books becomes required`,
        edits: {
          python: [{ within: block("search_books"), find: `shelf.")] = False,`, replace: `shelf.")],` }],
          typescript: [
            { within: block("search_books"), find: "z.boolean().default(false)", replace: "z.boolean()" },
          ],
        },
      },
      {
        change: `the optional argument "days" of borrow_book becomes required`,
        edits: {
          python: [{ within: block("borrow_book"), find: `in days.")] = 14,`, replace: `in days.")],` }],
          typescript: [{ within: block("borrow_book"), find: ".max(28).default(14)", replace: ".max(28)" }],
        },
      },
    ],
  },
  {
    id: "output-type-changed",
    kind: "breaking",
    title: "your suite fails when an output field changes type",
    hint: "Clients parse the old type (SDK clients validate structuredContent against the outputSchema). Compare each outputSchema property's type with your golden copy, and check the types in real results.",
    specRef: "2025-11-25/server/tools#output-schema",
    options: [
      {
        change: `books (get_book, search_books) carry "year" as a string instead of an integer`,
        edits: {
          python: [
            { find: "    year: int\n", replace: "    year: str\n" },
            { find: `year=entry["year"],`, replace: `year=str(entry["year"]),` },
          ],
          typescript: [
            { find: "  year: z.number().int(),", replace: "  year: z.string()," },
            { find: "  year: entry.year,", replace: "  year: String(entry.year)," },
          ],
        },
      },
      {
        change: `search_books returns "total" as a string instead of an integer`,
        edits: {
          python: [
            { find: "    total: int\n", replace: "    total: str\n" },
            { find: "total=len(found))", replace: "total=str(len(found)))" },
          ],
          typescript: [
            { find: "total: z.number().int() }", replace: "total: z.string() }" },
            { find: "total: found.length })", replace: "total: String(found.length) })" },
          ],
        },
      },
      {
        change: `borrow_book returns "due_date" as a number such as 20261209 instead of a "YYYY-MM-DD" string`,
        edits: {
          python: [
            { find: "due_date: str = Field(", replace: "due_date: int = Field(" },
            { find: "due_date=due.isoformat())", replace: `due_date=int(due.strftime("%Y%m%d")))` },
          ],
          typescript: [
            { find: "due_date: z.string().describe(", replace: "due_date: z.number().int().describe(" },
            { find: "due_date: due });", replace: `due_date: Number(due.replaceAll("-", "")) });` },
          ],
        },
      },
      {
        change: `return_book returns "late" as a "yes"/"no" string instead of a boolean`,
        edits: {
          python: [
            { find: "    late: bool\n", replace: "    late: str\n" },
            {
              find: `late=date.today().isoformat() > loan["due"])`,
              replace: `late="yes" if date.today().isoformat() > loan["due"] else "no")`,
            },
          ],
          typescript: [
            { find: "late: z.boolean() }", replace: "late: z.string() }" },
            {
              find: "late: new Date().toISOString().slice(0, 10) > loan.due });",
              replace: `late: new Date().toISOString().slice(0, 10) > loan.due ? "yes" : "no" });`,
            },
          ],
        },
      },
    ],
  },
  {
    id: "error-became-success",
    kind: "breaking",
    title: "your suite fails when a documented error becomes a success",
    hint: "tools/list does not change here, only behaviour: call each tool on each of its documented error cases (unknown ISBN, no copy on the shelf, unknown loan) and assert that the result has isError: true.",
    specRef: "2025-11-25/server/tools#error-handling",
    options: [
      {
        change: "get_book with an unknown ISBN returns an empty book instead of an error",
        edits: {
          python: [
            {
              find: `raise ToolError(f"No book with ISBN '{isbn}'. Use search_books to find the ISBN first.")`,
              replace: `return Book(isbn=isbn, title="", author="", year=0, available_copies=0)`,
            },
          ],
          typescript: [
            {
              // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text of the subject
              find: "return toolError(`No book with ISBN '${isbn}'. Use search_books to find the ISBN first.`);",
              replace: `return reply({ isbn, title: "", author: "", year: 0, available_copies: 0 });`,
            },
          ],
        },
      },
      {
        change: "borrow_book lends a book that has no copy on the shelf instead of refusing",
        edits: {
          python: [
            {
              find: `raise ToolError(f"No copy of '{entry['title']}' is on the shelf. Try again after a return.")`,
              replace: `log.warning("lending %s with no copy on the shelf", isbn)`,
            },
          ],
          typescript: [
            {
              // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text of the subject
              find: "return toolError(`No copy of '${entry.title}' is on the shelf. Try again after a return.`);",
              // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text of the subject
              replace: "console.error(`lending ${isbn} with no copy on the shelf`);",
            },
          ],
        },
      },
      {
        change: "return_book with an unknown loan id reports a return instead of an error",
        edits: {
          python: [
            {
              find: `raise ToolError(f"No open loan '{loan_id}'. It was never made or is already returned.")`,
              replace: `return Returned(loan_id=loan_id, isbn="", late=False)`,
            },
          ],
          typescript: [
            {
              // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text of the subject
              find: "return toolError(`No open loan '${loanId}'. It was never made or is already returned.`);",
              replace: `return reply({ loan_id: loanId, isbn: "", late: false });`,
            },
          ],
        },
      },
    ],
  },
  {
    id: "optional-param-added",
    kind: "compatible",
    title: "your suite passes when a tool gains an optional argument",
    hint: "Every old call still works: a new optional property in an inputSchema is compatible. Check that the old properties are still there with their types and that required did not grow; do not require the property lists to be exactly equal.",
    specRef: "2025-11-25/server/tools#tool",
    options: [
      ...["author", "publisher"].map((name) => ({
        change: `search_books gains an optional argument "${name}"`,
        edits: {
          python: [
            {
              within: block("search_books"),
              find: `shelf.")] = False,\n`,
              replace: `shelf.")] = False,\n    ${name}: Annotated[str, Field(description="Narrow the results by ${name}.")] = "",\n`,
            },
          ],
          typescript: [
            {
              within: block("search_books"),
              find: `shelf."),\n`,
              replace: `shelf."),\n      ${name}: z.string().optional().describe("Narrow the results by ${name}."),\n`,
            },
          ],
        },
      })),
      ...["include_history", "with_cover"].map((name) => ({
        change: `get_book gains an optional argument "${name}"`,
        edits: {
          python: [
            {
              within: block("get_book"),
              find: `returned.")],\n`,
              replace: `returned.")],\n    ${name}: Annotated[bool, Field(description="Return more details.")] = False,\n`,
            },
          ],
          typescript: [
            {
              within: block("get_book"),
              find: `returned."),\n`,
              replace: `returned."),\n      ${name}: z.boolean().optional().describe("Return more details."),\n`,
            },
          ],
        },
      })),
      {
        change: `borrow_book gains an optional argument "note"`,
        edits: {
          python: [
            {
              within: block("borrow_book"),
              find: `in days.")] = 14,\n`,
              replace: `in days.")] = 14,\n    note: Annotated[str, Field(description="A note for the librarian.")] = "",\n`,
            },
          ],
          typescript: [
            {
              within: block("borrow_book"),
              find: `in days."),\n`,
              replace: `in days."),\n      note: z.string().optional().describe("A note for the librarian."),\n`,
            },
          ],
        },
      },
    ],
  },
  {
    id: "tool-added",
    kind: "compatible",
    title: "your suite passes when a new tool is added",
    hint: "A new tool breaks no client. Check that the tools you know are still there; do not require the list of names to be exactly equal.",
    specRef: "2025-11-25/server/tools#listing-tools",
    options: ["count_books", "catalogue_stats", "shelf_summary"].map((name) => ({
      change: `a new tool "${name}" is added`,
      edits: {
        python: [{ insertBefore: "end of tools", text: addedToolPython(name) }],
        typescript: [{ insertBefore: "end of tools", text: addedToolTypescript(name) }],
      },
    })),
  },
  {
    id: "description-reworded",
    kind: "compatible",
    title: "your suite passes when a tool's description is reworded",
    hint: "Descriptions are for models and people; no client's code depends on their wording. Leave them out of the compatibility check (review their changes in the pull request instead).",
    specRef: "2025-11-25/server/tools#tool",
    options: TOOLS.flatMap((tool) =>
      DESCRIPTIONS[tool].new.map((text) => ({
        change: `the description of ${tool} is reworded to "${text}"`,
        edits: {
          python: [
            { within: block(tool), find: `"""${DESCRIPTIONS[tool].old}"""`, replace: `"""${text}"""` },
          ],
          typescript: [
            { within: block(tool), find: `"${DESCRIPTIONS[tool].old}"`, replace: JSON.stringify(text) },
          ],
        },
      })),
    ),
  },
  {
    id: "output-field-added",
    kind: "compatible",
    title: "your suite passes when a result gains a field",
    hint: "Clients ignore fields they do not know, so a new output field is compatible. Check that the old fields are still there with their types; do not compare outputSchema or results for exact equality.",
    specRef: "2025-11-25/server/tools#output-schema",
    options: [
      ...[
        { field: "edition", py: "int = 1", zod: "z.number().int()", value: "1" },
        { field: "language", py: `str = "en"`, zod: "z.string()", value: `"en"` },
      ].map((f) => ({
        change: `books (get_book, search_books) gain a field "${f.field}"`,
        edits: {
          python: [
            {
              find: "    available_copies: int\n",
              replace: `    available_copies: int\n    ${f.field}: ${f.py}\n`,
            },
          ],
          typescript: [
            {
              find: "  available_copies: z.number().int(),\n",
              replace: `  available_copies: z.number().int(),\n  ${f.field}: ${f.zod},\n`,
            },
            {
              find: "  available_copies: shelf.get(entry.isbn) ?? 0,\n",
              replace: `  available_copies: shelf.get(entry.isbn) ?? 0,\n  ${f.field}: ${f.value},\n`,
            },
          ],
        },
      })),
      {
        change: `borrow_book's result gains a field "renewals_left"`,
        edits: {
          python: [
            {
              find: `YYYY-MM-DD.")\n`,
              replace: `YYYY-MM-DD.")\n    renewals_left: int = 2\n`,
            },
          ],
          typescript: [
            {
              find: `YYYY-MM-DD."),\n`,
              replace: `YYYY-MM-DD."),\n      renewals_left: z.number().int(),\n`,
            },
            { find: "due_date: due });", replace: "due_date: due, renewals_left: 2 });" },
          ],
        },
      },
    ],
  },
  {
    id: "tools-reordered",
    kind: "compatible",
    title: "your suite passes when the tools are listed in another order",
    hint: "Nothing promises an order of tools/list: sort the tools by name before you compare them with your golden file.",
    specRef: "2025-11-25/server/tools#listing-tools",
    options: (["search_books", "get_book", "borrow_book"] as const).map((tool) => ({
      change: `the tools are listed in another order (${tool} moves to the end)`,
      edits: both({ moveBlock: block(tool), before: "end of tools" }),
    })),
  },
];

/** One mutant in one of its forms, applied to the subject's entry file. */
export function buildVariant(spec: MutantSpec, option: Option, input: VariantsInput): SubjectVariant {
  const entry = ENTRY[input.lang];
  const source = input.subject[entry];
  if (source === undefined) throw new Error(`the subject has no ${entry}`);
  return {
    id: spec.id,
    kind: spec.kind,
    title: spec.title,
    change: option.change,
    hint: spec.hint,
    lesson: LESSON,
    specRef: spec.specRef,
    files: { [entry]: applyEdits(source, option.edits[input.lang]) },
  };
}

/** The engine's entry point: every mutant once, in the form this seed picks. */
export function variants(input: VariantsInput): SubjectVariant[] {
  return MUTANTS.map((spec) =>
    buildVariant(spec, createRandom(input.seed, `mutant:${spec.id}`).pick(spec.options), input),
  );
}

// Every code block of every lesson is runnable, checked or a fragment with a reason, and the checks
// really run: TypeScript through the compiler API in one program, Python with the pinned runtime,
// JSON/YAML/shell by parsing. The canaries prove each check can fail.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allLessons } from "../../lib/course/catalog.ts";
import { checkDataBlocks } from "../../lib/course/check-data-blocks.ts";
import { checkPythonBlocks } from "../../lib/course/check-python-blocks.ts";
import { lessonCodeBlocks } from "../../lib/course/code-blocks.ts";
import { exampleRuntimes } from "../../lib/course/example-runtimes.ts";
import {
  type BlockDiagnostic,
  formatDiagnostic,
  type LessonSource,
  typecheckTypeScriptBlocks,
} from "../../lib/course/typecheck-blocks.ts";
import { projectPath } from "../../lib/paths.ts";

const python = exampleRuntimes().python;

const lessons = allLessons().map((lesson) => {
  const lessonFile = relative(projectPath(), lesson.file);
  return { id: lesson.id, lessonFile, ...lessonCodeBlocks(readFileSync(lesson.file, "utf8")) };
});
const sources: LessonSource[] = lessons.map(({ lessonFile, blocks }) => ({ lessonFile, blocks }));

const report = (diagnostics: BlockDiagnostic[]) => diagnostics.map(formatDiagnostic);

/** One synthetic lesson made of the given Markdown, as the checks see a lesson file. */
function lessonOf(markdown: string): LessonSource {
  const { blocks, problems } = lessonCodeBlocks(markdown);
  expect(problems).toEqual([]);
  return { lessonFile: "course/99-canary/01-wrong.md", blocks };
}

describe("fence info strings", () => {
  it("classifies runnable, checked and fragment blocks with their file names and lines", () => {
    const markdown = [
      "# Lesson", // 1
      "```python runnable", // 2
      "print(1)",
      "```",
      "```ts file=http.ts", // 5
      "export {};",
      "```",
      '```text fragment="captured output"', // 8
      "ok",
      "```",
      "- a list item", // 11
      "",
      "   ```json", // 13
      "   {}",
      "   ```",
      "```python test file=tests/test_e2e.py", // 16
      "def test_x() -> None: ...",
      "```",
      "```ts test", // 19
      "export {};",
      "```",
    ].join("\n");
    const { blocks, problems } = lessonCodeBlocks(markdown);
    expect(problems).toEqual([]);
    expect(blocks.map((block) => [block.rawLanguage, block.kind, block.fileName, block.line])).toEqual([
      ["python", "runnable", "server.py", 2],
      ["ts", "checked", "http.ts", 5],
      ["text", "fragment", "snippet_L8.txt", 8],
      ["json", "checked", "snippet_L13.json", 13],
      ["python", "test", "tests/test_e2e.py", 16],
      ["ts", "test", "snippet_L19.test.ts", 19],
    ]);
    expect(blocks[2].fragmentReason).toBe("captured output");
    expect(blocks[3].code).toBe("{}\n");
  });

  it.each([
    ["```text\nout\n```\n", /nothing checks text blocks/],
    ["```python fragment\nx\n```\n", /fragment needs its reason/],
    ['```python fragment="short"\nx\n```\n', /fragment needs its reason/],
    ["```python runable\nx\n```\n", /unknown runable/],
    ['```python runnable fragment="reason long enough"\nx\n```\n', /not more than one/],
    ["```python runnable test\nx\n```\n", /not more than one/],
    ["```json runnable\n{}\n```\n", /only python and ts blocks can be runnable or tests/],
    ["```bash test\nls\n```\n", /only python and ts blocks can be runnable or tests/],
    ["```python file=../up.py\nx = 1\n```\n", /file= takes a file name/],
    ["```python file=a.ts\nx = 1\n```\n", /does not end in \.py/],
    ["```ts needs=zod\nx\n```\n", /needs= lists Python modules/],
    ["```\nbare\n```\n", /without a language/],
    ["Text\n\n    indented = True\n", /without a language/],
    [
      "```python runnable\nx = 1\n```\n```python runnable\ny = 2\n```\n",
      /server\.py is already the block at line 1/,
    ],
  ])("refuses %j", (markdown, reason) => {
    const { problems } = lessonCodeBlocks(markdown);
    expect(problems.map((problem) => problem.message).join("\n")).toMatch(reason);
  });
});

describe("every lesson's code blocks", () => {
  it("have valid info strings: each block is runnable, a test, checked or a fragment with a reason", () => {
    const problems = lessons.flatMap(({ lessonFile, problems }) =>
      problems.map((problem) => `${lessonFile}:${problem.line}: ${problem.message}`),
    );
    expect(problems).toEqual([]);
  });

  it("include at least one runnable Python and one runnable TypeScript block per lesson", () => {
    const missing = lessons.flatMap(({ lessonFile, blocks }) =>
      (["python", "typescript"] as const)
        .filter(
          (language) => !blocks.some((block) => block.kind === "runnable" && block.language === language),
        )
        .map((language) => `${lessonFile}: no runnable ${language} block`),
    );
    expect(lessons.length).toBeGreaterThanOrEqual(34);
    expect(missing).toEqual([]);
  });

  it("in TypeScript type-check strictly against the pinned SDK, in one program", () => {
    expect(report(typecheckTypeScriptBlocks(sources))).toEqual([]);
  });

  it("in Python compile, resolve their imports against mcp 2.3.0 and define every name they use", () => {
    expect(report(checkPythonBlocks(sources, python))).toEqual([]);
  });

  it("in JSON and YAML parse, and in shell pass bash -n", () => {
    expect(report(checkDataBlocks(sources))).toEqual([]);
  });
});

describe("the checks fail on wrong code (canaries)", () => {
  let typeErrors: string[] = [];

  beforeAll(() => {
    const lesson = lessonOf(
      [
        "---", // 1
        "title: Canary",
        "---",
        "```ts runnable file=server.ts", // 4
        'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
        'export const server = new McpServer({ name: "canary" });', // 6: version is required
        "```",
        "```ts", // 8
        'import { server, missing } from "./server.ts";', // 9: no such export
        'server.registerTool("t", { description: 42 }, async () => ({ content: [] }));', // 10
        "```",
        '```ts fragment="half a statement on purpose"', // 12
        "server.registerTool(", // 13: syntax error, even in a fragment
        "```",
      ].join("\n"),
    );
    typeErrors = report(typecheckTypeScriptBlocks([lesson]));
  });

  it("TypeScript: a wrong SDK call fails with the lesson file, the block and the diagnostic", () => {
    expect(typeErrors).toContainEqual(
      expect.stringMatching(/^course\/99-canary\/01-wrong\.md:6 \(block at line 4\): TS2345: .*version/s),
    );
  });

  it("TypeScript: an import another block does not export fails", () => {
    expect(typeErrors).toContainEqual(
      expect.stringMatching(/^course\/99-canary\/01-wrong\.md:9 \(block at line 8\): TS2305: .*missing/),
    );
    expect(typeErrors).toContainEqual(
      expect.stringMatching(/^course\/99-canary\/01-wrong\.md:10 \(block at line 8\): TS2322: .*number/),
    );
  });

  it("TypeScript: a fragment is still syntax-checked", () => {
    expect(typeErrors).toContainEqual(
      expect.stringMatching(/^course\/99-canary\/01-wrong\.md:14 \(block at line 12\): TS1/),
    );
  });

  it("Python: the 1.x FastMCP import, an undefined name, a missing sibling name and a syntax error fail", () => {
    const lesson = lessonOf(
      [
        "```python runnable", // 1
        "from mcp.server.fastmcp import FastMCP", // 2: gone in mcp 2.x
        "",
        'mcp = FastMCP("canary")',
        "",
        "@mcp.tool()",
        "def add(a: int) -> int:",
        "    return a + offset", // 8: never defined
        "```",
        "```python", // 10
        "from server import mcp, tools", // 11: server.py defines no `tools`
        "```",
        '```python fragment="a syntax error on purpose"', // 13
        "def broken(:", // 14
        "```",
      ].join("\n"),
    );
    const errors = report(checkPythonBlocks([lesson], python));
    expect(errors).toEqual([
      expect.stringMatching(
        /^course\/99-canary\/01-wrong\.md:2 \(block at line 1\): from mcp\.server\.fastmcp import/,
      ),
      "course/99-canary/01-wrong.md:8 (block at line 1): undefined name offset",
      "course/99-canary/01-wrong.md:11 (block at line 10): server (a block of this lesson) defines no tools",
      expect.stringMatching(/^course\/99-canary\/01-wrong\.md:14 \(block at line 13\): SyntaxError/),
    ]);
  });

  it("Python: needs= skips only the named modules", () => {
    const lesson = lessonOf(
      [
        "```python needs=fastapi",
        "from fastapi import FastAPI",
        "from mcp.server.mcpserver import NoSuchThing",
        "",
        "app = FastAPI()",
        "```",
      ].join("\n"),
    );
    expect(report(checkPythonBlocks([lesson], python))).toEqual([
      "course/99-canary/01-wrong.md:3 (block at line 1): mcp.server.mcpserver has no NoSuchThing in the pinned runtime",
    ]);
  });

  it("JSON, YAML and shell: a broken block fails", () => {
    const lesson = lessonOf(
      [
        "```json",
        '{ "a": 1,, }',
        "```",
        "```yaml",
        "a: [1, 2",
        "```",
        "```bash",
        "if true; then",
        "```",
      ].join("\n"),
    );
    const errors = report(checkDataBlocks([lesson]));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^course\/99-canary\/01-wrong\.md:2 \(block at line 1\): JSON: /);
    expect(errors[1]).toMatch(/\(block at line 4\): YAML: /);
    expect(errors[2]).toMatch(/\(block at line 7\): bash -n: /);
  });
});

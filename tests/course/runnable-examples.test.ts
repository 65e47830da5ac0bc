import { mkdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allLessons } from "../../lib/course/catalog.ts";
import { lessonCodeBlocks } from "../../lib/course/code-blocks.ts";
import { exampleRuntimes } from "../../lib/course/example-runtimes.ts";
import { runLessonTest } from "../../lib/course/lesson-tests.ts";
import { extractRunnableExamples, runExample } from "../../lib/course/runnable-examples.ts";

const runtimes = exampleRuntimes();
mkdirSync(runtimes.scratchRoot, { recursive: true });

describe("lesson examples run against the pinned SDKs", () => {
  const lessons = allLessons().map((lesson) => {
    const markdown = readFileSync(lesson.file, "utf8");
    return { lesson, examples: extractRunnableExamples(markdown), blocks: lessonCodeBlocks(markdown).blocks };
  });

  it("the extractor finds fenced runnable blocks and nothing else", () => {
    const sample =
      "```python runnable\nprint(1)\n```\n```python\nno\n```\n```ts runnable file=glossary.ts\nlet x = 1;\n```\n";
    expect(
      extractRunnableExamples(sample).map((example) => [example.language, example.line, example.fileName]),
    ).toEqual([
      ["python", 1, "server.py"],
      ["typescript", 7, "glossary.ts"],
    ]);
  });

  // code-blocks.test.ts requires at least one runnable block per language in every lesson.
  for (const { lesson, examples, blocks } of lessons) {
    describe(lesson.id, () => {
      for (const example of examples) {
        it(`${example.language} example at line ${example.line} starts and answers initialize`, async () => {
          const run = await runExample(example, runtimes);
          expect(run.serverName.length).toBeGreaterThan(0);
        });
      }
      for (const test of blocks.filter((block) => block.kind === "test")) {
        it(`${test.language} test ${test.fileName} at line ${test.line} passes against the lesson's code`, async () => {
          const run = await runLessonTest(blocks, test, runtimes);
          expect(run.exitCode, run.output.slice(-3000)).toBe(0);
        });
      }
    });
  }

  it("a failing lesson test fails (canary)", async () => {
    const { blocks } = lessonCodeBlocks(
      [
        "```python runnable file=calc.py",
        "def add(a: int, b: int) -> int:",
        "    return a - b",
        "```",
        "```python test file=test_calc.py",
        "from calc import add",
        "",
        "",
        "def test_add() -> None:",
        "    assert add(2, 2) == 4",
        "```",
      ].join("\n"),
    );
    const run = await runLessonTest(blocks, blocks[1], runtimes);
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain("assert 0 == 4");
  });
});

import { mkdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allLessons } from "../../lib/course/catalog.ts";
import { exampleRuntimes } from "../../lib/course/example-runtimes.ts";
import { extractRunnableExamples, runExample } from "../../lib/course/runnable-examples.ts";

const runtimes = exampleRuntimes();
mkdirSync(runtimes.scratchRoot, { recursive: true });

describe("lesson examples run against the pinned SDKs", () => {
  const lessons = allLessons().map((lesson) => ({
    lesson,
    examples: extractRunnableExamples(readFileSync(lesson.file, "utf8")),
  }));

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
  for (const { lesson, examples } of lessons) {
    describe(lesson.id, () => {
      for (const example of examples) {
        it(`${example.language} example at line ${example.line} starts and answers initialize`, async () => {
          const run = await runExample(example, runtimes);
          expect(run.serverName.length).toBeGreaterThan(0);
        });
      }
    });
  }
});

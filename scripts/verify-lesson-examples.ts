// Usage: npx tsx scripts/verify-lesson-examples.ts course/03-contracts/01-json-schema-inputs.md [...]
// Runs every ```python runnable / ```ts runnable block of the given lessons against the pinned SDKs.
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { exampleRuntimes } from "../lib/course/example-runtimes.ts";
import { extractRunnableExamples, runExample } from "../lib/course/runnable-examples.ts";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: verify-lesson-examples <lesson.md> [...]");
  process.exit(2);
}
const runtimes = exampleRuntimes();
mkdirSync(runtimes.scratchRoot, { recursive: true });
let failed = 0;
for (const file of files) {
  for (const example of extractRunnableExamples(readFileSync(resolve(file), "utf8"))) {
    try {
      const run = await runExample(example, runtimes);
      console.log(`ok   ${file}:${example.line} ${example.language} ${JSON.stringify(run)}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${file}:${example.line} ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
process.exit(failed === 0 ? 0 : 1);

// npm run quizzes:check [-- <file.yaml> ...]: validates quiz files (schema, and lesson tags against course/);
// exit 1 with file/question/reason on error.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { lessonTagProblems } from "./lesson-tags.ts";
import { parseQuizFile, quizFiles } from "./load.ts";

const files = process.argv.length > 2 ? process.argv.slice(2) : quizFiles();
let failures = 0;
for (const file of files) {
  const result = parseQuizFile(basename(file), readFileSync(file, "utf8"));
  const tagProblems = result.ok ? lessonTagProblems(basename(file), result.value) : [];
  if (tagProblems.length > 0) {
    failures++;
    console.log(tagProblems.join("\n"));
  } else if (result.ok)
    console.log(
      `ok   ${basename(file)}: ${result.value.questions.length} questions, ${result.value.questionsPerAttempt} per attempt`,
    );
  else {
    failures++;
    console.log(result.error);
  }
}
process.exit(failures === 0 ? 0 : 1);

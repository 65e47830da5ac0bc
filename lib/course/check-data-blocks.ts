// Checks the non-program blocks a lesson shows as real input: JSON parses, YAML parses, shell passes
// `bash -n` (syntax only: nothing is executed). Fragments of these languages are left alone.
import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import type { CodeBlock } from "./code-blocks.ts";
import type { BlockDiagnostic, LessonSource } from "./typecheck-blocks.ts";

function jsonProblem(code: string): { offsetLine: number; message: string } | null {
  try {
    JSON.parse(code);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message);
    return { offsetLine: line ? Number(line[1]) - 1 : 0, message: `JSON: ${message}` };
  }
}

function yamlProblem(code: string): { offsetLine: number; message: string } | null {
  for (const document of parseAllDocuments(code)) {
    const [error] = document.errors;
    if (error) return { offsetLine: (error.linePos?.[0].line ?? 1) - 1, message: `YAML: ${error.message}` };
  }
  return null;
}

function bashProblem(code: string): { offsetLine: number; message: string } | null {
  const run = spawnSync("bash", ["-n"], { input: code, encoding: "utf8" });
  if (run.status === 0) return null;
  const line = /line (\d+)/.exec(run.stderr);
  return { offsetLine: line ? Number(line[1]) - 1 : 0, message: `bash -n: ${run.stderr.trim()}` };
}

function problemOf(block: CodeBlock): { offsetLine: number; message: string } | null {
  if (block.kind === "fragment") return null;
  if (block.language === "json") return jsonProblem(block.code);
  if (block.language === "yaml") return yamlProblem(block.code);
  if (block.language === "bash") return bashProblem(block.code);
  return null;
}

export function checkDataBlocks(lessons: LessonSource[]): BlockDiagnostic[] {
  return lessons.flatMap(({ lessonFile, blocks }) =>
    blocks.flatMap((block) => {
      const problem = problemOf(block);
      return problem
        ? [
            {
              lessonFile,
              blockLine: block.line,
              line: block.firstCodeLine + problem.offsetLine,
              message: problem.message,
            },
          ]
        : [];
    }),
  );
}

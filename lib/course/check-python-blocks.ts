// Checks the Python blocks of the course without running them, with the pinned runtime's interpreter
// (python-block-check.py): syntax for fragments; syntax, imports against the installed mcp SDK (and the
// other blocks of the lesson), and undefined names for runnable and checked blocks.
import { spawnSync } from "node:child_process";
import { basename } from "node:path";
import { z } from "zod";
import { projectPath } from "../paths.ts";
import type { BlockDiagnostic, LessonSource } from "./typecheck-blocks.ts";

const resultSchema = z.array(
  z.strictObject({ key: z.string(), line: z.number().int(), message: z.string() }),
);

export function checkPythonBlocks(lessons: LessonSource[], python: string): BlockDiagnostic[] {
  const byKey = new Map<string, { lessonFile: string; blockLine: number; firstCodeLine: number }>();
  const request = {
    lessons: lessons.map(({ lessonFile, blocks }) => ({
      lesson: lessonFile,
      blocks: blocks
        .filter((block) => block.language === "python")
        .map((block) => {
          const key = `${lessonFile}:${block.line}`;
          byKey.set(key, { lessonFile, blockLine: block.line, firstCodeLine: block.firstCodeLine });
          // Blocks import each other by module name; a block in tests/ is still module test_e2e.
          const module = basename(block.fileName);
          return { key, module, code: block.code, kind: block.kind, needs: block.needs };
        }),
    })),
  };
  const run = spawnSync(python, [projectPath("lib/course/python-block-check.py")], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0)
    throw new Error(`python-block-check.py failed (${run.status}): ${run.stderr.slice(-2000)}`);
  const diagnostics = resultSchema.parse(JSON.parse(run.stdout)).map((result) => {
    const block = byKey.get(result.key);
    if (!block) throw new Error(`python-block-check.py answered for an unknown block ${result.key}`);
    return {
      lessonFile: block.lessonFile,
      blockLine: block.blockLine,
      line: block.firstCodeLine + result.line - 1,
      message: result.message,
    };
  });
  return diagnostics.sort((a, b) => a.lessonFile.localeCompare(b.lessonFile) || a.line - b.line);
}

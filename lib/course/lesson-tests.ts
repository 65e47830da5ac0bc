// Runs a lesson's ```python test / ```ts test blocks: the lesson's other blocks of the same language
// (its runnable server, the modules it imports) are written next to the test under their file= names,
// and the test runs as a learner would run it: pytest for test_*.py, vitest for *.test.ts, otherwise
// `python file.py` / `node file.ts`. Passing means exit code 0.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { projectPath } from "../paths.ts";
import type { CodeBlock } from "./code-blocks.ts";
import type { ExampleRuntimes } from "./runnable-examples.ts";

export interface LessonTestRun {
  exitCode: number | null;
  output: string;
}

function command(test: CodeBlock, runtimes: ExampleRuntimes): { file: string; args: string[] } {
  if (test.language === "python")
    return basename(test.fileName).startsWith("test_")
      ? { file: runtimes.python, args: ["-m", "pytest", "-q", "-p", "no:cacheprovider", test.fileName] }
      : { file: runtimes.python, args: [test.fileName] };
  return test.fileName.endsWith(".test.ts")
    ? { file: runtimes.node, args: [projectPath("node_modules/vitest/vitest.mjs"), "run", test.fileName] }
    : { file: runtimes.node, args: [test.fileName] };
}

/**
 * This process's environment without what would make a nested vitest think it is a worker, and without
 * CI: a fresh folder has no golden files, and the lesson's tests write them on a first run as they do on
 * a developer's machine (under CI vitest would refuse to write a new file snapshot).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith("VITEST") || ["NODE_OPTIONS", "CI", "GITHUB_ACTIONS"].includes(key)) delete env[key];
  return env;
}

export async function runLessonTest(
  blocks: CodeBlock[],
  test: CodeBlock,
  runtimes: ExampleRuntimes,
  timeoutMs = 120_000,
): Promise<LessonTestRun> {
  const dir = mkdtempSync(join(runtimes.scratchRoot, "lesson-test-"));
  try {
    for (const block of blocks) {
      if (block.language !== test.language || block.kind === "fragment") continue;
      mkdirSync(dirname(join(dir, block.fileName)), { recursive: true });
      writeFileSync(join(dir, block.fileName), block.code);
    }
    // vitest needs a root: an empty config keeps it from climbing to the repo's own.
    if (test.language === "typescript") writeFileSync(join(dir, "vitest.config.ts"), "export default {};\n");
    const { file, args } = command(test, runtimes);
    return await new Promise<LessonTestRun>((resolve, reject) => {
      const child = spawn(file, args, { cwd: dir, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("error", reject);
      child.once("close", (exitCode) => {
        clearTimeout(timer);
        resolve({ exitCode, output });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Type-checks every TypeScript block of the course in ONE program with the TypeScript compiler API,
// against the pinned SDK in node_modules. Node 24 runs lesson code by stripping types, which never
// checks them; this is what makes a renamed SDK export or a wrong argument fail the test.
// Blocks live in memory in a virtual folder per lesson (under the repo, so node_modules and the repo's
// "type": "module" apply); blocks of one lesson can import each other by their file= names.
import { dirname, join } from "node:path";
import ts from "typescript";
import { projectPath } from "../paths.ts";
import type { CodeBlock } from "./code-blocks.ts";

export interface LessonSource {
  /** The lesson file as shown in messages (repo-relative). */
  lessonFile: string;
  blocks: CodeBlock[];
}

export interface BlockDiagnostic {
  lessonFile: string;
  /** Line of the block's opening fence. */
  blockLine: number;
  /** Line in the lesson file the diagnostic points at. */
  line: number;
  message: string;
}

/** Matches what Node 24 runs (ESM, erasable syntax only) and what a strict project would check. */
export const LESSON_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  verbatimModuleSyntax: true,
  erasableSyntaxOnly: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [projectPath("node_modules/@types")],
};

export function formatDiagnostic(diagnostic: BlockDiagnostic): string {
  return `${diagnostic.lessonFile}:${diagnostic.line} (block at line ${diagnostic.blockLine}): ${diagnostic.message}`;
}

function virtualDir(root: string, lessonFile: string): string {
  return join(root, lessonFile.replace(/\.md$/, "").replace(/[^A-Za-z0-9_-]+/g, "__"));
}

interface Placed {
  lessonFile: string;
  block: CodeBlock;
}

/** Type-checks the runnable and checked TypeScript blocks; fragments get a syntax check only. */
export function typecheckTypeScriptBlocks(
  lessons: LessonSource[],
  virtualRoot = projectPath(".tmp-examples", "typecheck"),
): BlockDiagnostic[] {
  const files = new Map<string, Placed>();
  const diagnostics: BlockDiagnostic[] = [];
  for (const { lessonFile, blocks } of lessons) {
    for (const block of blocks) {
      if (block.language !== "typescript") continue;
      if (block.kind === "fragment") diagnostics.push(...syntaxDiagnostics(lessonFile, block));
      else files.set(join(virtualDir(virtualRoot, lessonFile), block.fileName), { lessonFile, block });
    }
  }
  if (files.size === 0) return diagnostics;

  const host = ts.createCompilerHost(LESSON_COMPILER_OPTIONS);
  const { fileExists, readFile, getSourceFile, directoryExists, realpath } = host;
  const virtualDirs = new Set([...files.keys()].map((file) => dirname(file)));
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.readFile = (file) => files.get(file)?.block.code ?? readFile.call(host, file);
  host.directoryExists = (dir) => virtualDirs.has(dir) || (directoryExists?.call(host, dir) ?? false);
  host.realpath = (file) => (files.has(file) ? file : (realpath?.call(host, file) ?? file));
  host.getSourceFile = (file, language, onError, shouldCreate) => {
    const placed = files.get(file);
    return placed
      ? ts.createSourceFile(file, placed.block.code, language, true)
      : getSourceFile.call(host, file, language, onError, shouldCreate);
  };

  const program = ts.createProgram([...files.keys()], LESSON_COMPILER_OPTIONS, host);
  for (const diagnostic of program.getOptionsDiagnostics())
    diagnostics.push({
      lessonFile: "(compiler options)",
      blockLine: 0,
      line: 0,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    });
  for (const [file, { lessonFile, block }] of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    for (const diagnostic of [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ])
      diagnostics.push(toBlockDiagnostic(lessonFile, block, diagnostic));
  }
  return diagnostics;
}

function syntaxDiagnostics(lessonFile: string, block: CodeBlock): BlockDiagnostic[] {
  const output = ts.transpileModule(block.code, {
    reportDiagnostics: true,
    fileName: block.fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return (output.diagnostics ?? []).map((diagnostic) => toBlockDiagnostic(lessonFile, block, diagnostic));
}

function toBlockDiagnostic(lessonFile: string, block: CodeBlock, diagnostic: ts.Diagnostic): BlockDiagnostic {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  const offset =
    diagnostic.file && diagnostic.start !== undefined
      ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
      : 0;
  return {
    lessonFile,
    blockLine: block.line,
    line: block.firstCodeLine + offset,
    message: `TS${diagnostic.code}: ${text}`,
  };
}

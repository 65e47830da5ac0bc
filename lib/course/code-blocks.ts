// Every fenced code block of a lesson, parsed with the same Markdown parser the lesson page uses, and
// classified by its fence's info string. A block is exactly one of:
//   runnable  ```python runnable / ```ts runnable: a complete stdio server, type-checked/compiled and started
//   test      ```python test / ```ts test: a test or script run against the lesson's other blocks (pytest for
//             test_*.py, vitest for *.test.ts, else python / node), checked like any other block first
//   checked   an unmarked block in a language we can check: TS type-check, Python compile + imports +
//             names, JSON/YAML parse, `bash -n`
//   fragment  ```ts fragment="why it cannot be checked": only its syntax is checked (where we can)
// `file=name.ext` names the block's file so other blocks of the same lesson can import it
// (`from glossary import mcp`, `import { createServer } from "./glossary.ts"`).
// `needs=fastapi,requests` (Python) names third-party modules the pinned runtime does not install:
// their imports are not resolved, everything else in the block still is.
import type { Code, Root, RootContent } from "mdast";
import remarkParse from "remark-parse";
import { unified } from "unified";

export type BlockLanguage = "python" | "typescript" | "json" | "yaml" | "bash";

const LANGUAGES: Record<string, BlockLanguage> = {
  python: "python",
  py: "python",
  ts: "typescript",
  typescript: "typescript",
  json: "json",
  yaml: "yaml",
  yml: "yaml",
  bash: "bash",
  sh: "bash",
  shell: "bash",
};

export type BlockKind = "runnable" | "test" | "checked" | "fragment";

export interface CodeBlock {
  /** The fence's language as written (`ts`, `python`, `text`, ...); null for a fence without one. */
  rawLanguage: string | null;
  /** The language we can check, or null (text, dockerfile, ...: those must be fragments). */
  language: BlockLanguage | null;
  kind: BlockKind;
  /** `file=` or the default name: server.py / server.ts for runnable blocks, snippet_L<line> otherwise. */
  fileName: string;
  /** `fragment="..."`: why the block is not checked. */
  fragmentReason?: string;
  /** `needs=`: third-party Python modules the pinned runtime lacks. */
  needs: string[];
  code: string;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
  /** 1-based line in the lesson file of the block's first code line. */
  firstCodeLine: number;
}

export interface BlockProblem {
  line: number;
  message: string;
}

export interface LessonBlocks {
  blocks: CodeBlock[];
  /** Info strings that break the rules above (unknown words, a fragment without a reason, ...). */
  problems: BlockProblem[];
}

const EXTENSION: Record<BlockLanguage, string> = {
  python: "py",
  typescript: "ts",
  json: "json",
  yaml: "yaml",
  bash: "sh",
};

// `word`, `word=value` or `word="value with spaces"`.
const META_TOKEN = /([a-z]+)(?:="([^"]*)"|=(\S+))?/y;

function parseMeta(meta: string): { tokens: Map<string, string | true>; error?: string } {
  const tokens = new Map<string, string | true>();
  let rest = meta.trim();
  while (rest.length > 0) {
    META_TOKEN.lastIndex = 0;
    const match = META_TOKEN.exec(rest);
    if (!match) return { tokens, error: `cannot read "${rest}"` };
    tokens.set(match[1], match[2] ?? match[3] ?? true);
    rest = rest.slice(match[0].length).trimStart();
  }
  return { tokens };
}

function codeNodes(node: Root | RootContent, out: Code[]): Code[] {
  if (node.type === "code") out.push(node);
  if ("children" in node) for (const child of node.children) codeNodes(child, out);
  return out;
}

/** Classifies one fenced block; returns the block or the reason its info string is wrong. */
function classify(node: Code): CodeBlock | BlockProblem {
  const line = node.position?.start.line ?? 0;
  const rawLanguage = node.lang ?? null;
  if (rawLanguage === null)
    return { line, message: "code block without a language (indented or bare ```): fence it with one" };
  const language = LANGUAGES[rawLanguage] ?? null;
  const { tokens, error } = parseMeta(node.meta ?? "");
  if (error) return { line, message: `info string: ${error}` };
  const unknown = [...tokens.keys()].filter(
    (key) => !["runnable", "test", "fragment", "file", "needs"].includes(key),
  );
  if (unknown.length > 0) return { line, message: `info string: unknown ${unknown.join(", ")}` };
  const runnable = tokens.get("runnable");
  const test = tokens.get("test");
  const fragment = tokens.get("fragment");
  const file = tokens.get("file");
  const needs = tokens.get("needs");
  if (runnable !== undefined && runnable !== true) return { line, message: "runnable takes no value" };
  if (test !== undefined && test !== true) return { line, message: "test takes no value" };
  if (fragment !== undefined && (fragment === true || fragment.trim().length < 10))
    return { line, message: 'fragment needs its reason: fragment="why this block cannot be checked"' };
  if ([runnable, test, fragment].filter(Boolean).length > 1)
    return { line, message: "a block is runnable, a test or a fragment, not more than one" };
  if ((runnable || test) && language !== "python" && language !== "typescript")
    return { line, message: `only python and ts blocks can be runnable or tests, not ${rawLanguage}` };
  if (!language && !fragment)
    return {
      line,
      message: `nothing checks ${rawLanguage} blocks: mark it fragment="why" (or use a checked language)`,
    };
  if (file !== undefined) {
    // One optional folder, for tests that find the server relative to themselves (tests/test_e2e.py).
    if (file === true || !/^(?:[a-z_]+\/)?[A-Za-z0-9_-]+(?:\.[a-z0-9]+)+$/.test(file))
      return { line, message: "file= takes a file name such as glossary.py or tests/test_e2e.py" };
    if (fragment) return { line, message: "a fragment is not a file other blocks can import" };
    if (language && !file.endsWith(`.${EXTENSION[language]}`))
      return { line, message: `file=${file} does not end in .${EXTENSION[language]}` };
  }
  if (needs !== undefined && (needs === true || language !== "python"))
    return { line, message: "needs= lists Python modules (needs=fastapi,requests)" };
  const kind: BlockKind = runnable ? "runnable" : test ? "test" : fragment ? "fragment" : "checked";
  const extension = language ? EXTENSION[language] : "txt";
  const defaultName =
    kind === "runnable"
      ? `server.${extension}`
      : kind === "test"
        ? language === "python"
          ? `test_L${line}.py`
          : `snippet_L${line}.test.ts`
        : `snippet_L${line}.${extension}`;
  return {
    rawLanguage,
    language,
    kind,
    fileName: typeof file === "string" ? file : defaultName,
    fragmentReason: typeof fragment === "string" ? fragment : undefined,
    needs: typeof needs === "string" ? needs.split(",").filter(Boolean) : [],
    code: node.value.endsWith("\n") ? node.value : `${node.value}\n`,
    line,
    // A fenced block's code starts on the line after its opening fence.
    firstCodeLine: line + 1,
  };
}

const parser = unified().use(remarkParse);

/** Every code block of a lesson file (front matter included, so lines are the file's lines). */
export function lessonCodeBlocks(markdown: string): LessonBlocks {
  const blocks: CodeBlock[] = [];
  const problems: BlockProblem[] = [];
  for (const node of codeNodes(parser.parse(markdown), [])) {
    const result = classify(node);
    if ("message" in result) problems.push(result);
    else blocks.push(result);
  }
  const seen = new Map<string, number>();
  for (const block of blocks) {
    if (block.kind === "fragment") continue;
    const first = seen.get(block.fileName);
    if (first !== undefined)
      problems.push({
        line: block.line,
        message: `file name ${block.fileName} is already the block at line ${first}: name one with file=`,
      });
    else seen.set(block.fileName, block.line);
  }
  return { blocks, problems };
}

// Extracts the code blocks a lesson marks as runnable (```python runnable / ```ts runnable)
// and starts each one as a real MCP server over stdio with the pinned SDKs, so a lesson cannot rot.
// A runnable block is self-contained: it runs alone in a fresh folder (other blocks may import it).
// Used by tests/course/runnable-examples.test.ts and by `npx tsx scripts/verify-lesson-examples.ts <file.md>`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { lessonCodeBlocks } from "./code-blocks.ts";

export type ExampleLanguage = "python" | "typescript";

export interface RunnableExample {
  language: ExampleLanguage;
  code: string;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
  /** The file it is written to: server.py / server.ts unless the fence says file=. */
  fileName: string;
}

/** The blocks a lesson fences as runnable (see code-blocks.ts for the info-string rules). */
export function extractRunnableExamples(markdown: string): RunnableExample[] {
  return lessonCodeBlocks(markdown).blocks.flatMap((block) =>
    block.kind === "runnable" && (block.language === "python" || block.language === "typescript")
      ? [{ language: block.language, code: block.code, line: block.line, fileName: block.fileName }]
      : [],
  );
}

export interface ExampleRun {
  serverName: string;
  tools: string[];
  resources: string[];
  resourceTemplates: string[];
  prompts: string[];
}

export interface ExampleRuntimes {
  /** Python interpreter with the pinned `mcp` SDK. */
  python: string;
  /** Node 24 binary (runs .ts directly). */
  node: string;
  /** Folder under the repo so that Node resolves the pinned SDK from node_modules. */
  scratchRoot: string;
}

/** Starts the example as a stdio server, initializes, lists what it offers, and shuts it down. */
export async function runExample(example: RunnableExample, runtimes: ExampleRuntimes): Promise<ExampleRun> {
  const dir = mkdtempSync(join(runtimes.scratchRoot, "example-"));
  const file = join(dir, example.fileName);
  writeFileSync(file, example.code);
  const transport = new StdioClientTransport({
    command: example.language === "python" ? runtimes.python : runtimes.node,
    args: [file],
    cwd: dir,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "mcp-lab-lesson-check", version: "1.0.0" });
  try {
    await client.connect(transport);
    const caps = client.getServerCapabilities() ?? {};
    const tools = caps.tools ? (await client.listTools()).tools.map((t) => t.name) : [];
    const resources = caps.resources ? (await client.listResources()).resources.map((r) => r.uri) : [];
    const resourceTemplates = caps.resources
      ? (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)
      : [];
    const prompts = caps.prompts ? (await client.listPrompts()).prompts.map((p) => p.name) : [];
    return {
      serverName: client.getServerVersion()?.name ?? "",
      tools,
      resources,
      resourceTemplates,
      prompts,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `example at line ${example.line} failed: ${reason}\n--- server stderr ---\n${stderr.slice(-2000)}`,
    );
  } finally {
    await client.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

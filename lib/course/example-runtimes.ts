import { existsSync } from "node:fs";
import { join } from "node:path";
import { projectPath } from "../paths.ts";
import type { ExampleRuntimes } from "./runnable-examples.ts";

/** The pinned runtimes: the sandbox's Python venv (scripts/install-runtimes.sh) and the project's Node 24. */
export function exampleRuntimes(): ExampleRuntimes {
  const runtimeRoot = process.env.MCP_LAB_RUNTIMES ?? "/opt/mcp-lab/runtimes";
  const candidates = [join(runtimeRoot, "python/bin/python"), "/opt/mcp-docs-venv/bin/python"];
  const python = candidates.find((path) => existsSync(path));
  if (!python)
    throw new Error(
      `no Python runtime with the mcp SDK; run scripts/install-runtimes.sh (looked in ${candidates.join(", ")})`,
    );
  return { python, node: process.execPath, scratchRoot: projectPath(".tmp-examples") };
}

// The "run it locally" panel: the exact commands that run the same checks with the same pinned
// versions as the online grader ("passes locally, fails online" must not happen).

import { resolveOptions } from "../../sandbox/config.ts";
import { loadRuntime } from "../../sandbox/runtime.ts";
import type { LabLanguage } from "./catalog.ts";

export interface PinnedVersions {
  python: string;
  mcp: string;
  node: string;
  sdk: string;
  zod: string;
  inspector: string;
  /** The test runners of test-suite labs. */
  pytest: string;
  vitest: string;
}

/** What this grader runs with: read from the sandbox's runtime root, else the project's pins. */
export async function pinnedVersions(): Promise<PinnedVersions> {
  const runtime = await loadRuntime(resolveOptions().runtimesRoot);
  return {
    python: runtime?.versions.python ?? "3.11",
    mcp: runtime?.versions.mcp ?? "2.3.0",
    node: runtime?.versions.node ?? "24.9.0",
    sdk: runtime?.versions.sdk ?? "1.32.2",
    zod: runtime?.versions.zod ?? "4.6.7",
    inspector: "2.12.0",
    pytest: runtime?.versions.pytest ?? "9.2.0",
    vitest: runtime?.versions.vitest ?? "5.1.1",
  };
}

export interface LocalCommands {
  /** In a checkout of the MCP Lab repository: the grader itself. */
  repo: string[];
  /** On the learner's own machine, outside the repository. */
  ownMachine: string[];
}

/** A test-suite lab: the learner's suite against our server, as the grader runs it (no variants). */
function testSuiteCommands(
  labId: string,
  lang: LabLanguage,
  entry: string,
  versions: PinnedVersions,
): LocalCommands {
  const folder = `my-${labId}`;
  const server = lang === "python" ? "server.py" : "server.ts";
  const repo = [
    `# save your tests in ${folder}/ (${entry}), then: the original and every variant, as graded`,
    `npm run grade -- --lab ${labId} --dir ${folder} --lang ${lang}`,
  ];
  const ownMachine =
    lang === "python"
      ? [
          `# next to ${entry}: our ${server} (labs/${labId}/subject/python/${server})`,
          `uv run --with mcp==${versions.mcp} --with pytest==${versions.pytest} pytest ${entry}`,
        ]
      : [
          `# next to ${entry}: our ${server} (labs/${labId}/subject/typescript/${server}); Node ${versions.node}`,
          `npm install --save-exact @modelcontextprotocol/sdk@${versions.sdk} zod@${versions.zod} vitest@${versions.vitest}`,
          `npx vitest run ${entry}`,
        ];
  return { repo, ownMachine };
}

export function localCommands(
  labId: string,
  lang: LabLanguage,
  entry: string,
  versions: PinnedVersions,
  kind: "server" | "test-suite" = "server",
): LocalCommands {
  if (kind === "test-suite") return testSuiteCommands(labId, lang, entry, versions);
  const folder = `my-${labId}`;
  const repo = [
    `# save your files in ${folder}/ (${entry} and any others), then:`,
    `npm run grade -- --lab ${labId} --dir ${folder} --lang ${lang}`,
    `npm run grade -- --lab ${labId} --dir ${folder} --lang ${lang} --json   # full result, trace and stderr`,
    `npm run inspect -- --lab ${labId} --dir ${folder} --lang ${lang}          # the MCP Inspector on your server`,
  ];
  const ownMachine =
    lang === "python"
      ? [
          `# Python ${versions.python} with the pinned SDK (uv fetches it into a throwaway environment)`,
          `uv run --with mcp==${versions.mcp} ${entry}`,
          `npx @modelcontextprotocol/inspector@${versions.inspector} --cli uv run --with mcp==${versions.mcp} ${entry} --method tools/list`,
          `npx @modelcontextprotocol/inspector@${versions.inspector} uv run --with mcp==${versions.mcp} ${entry}   # web UI (Node >= 22.19)`,
        ]
      : [
          `# Node ${versions.node} runs ${entry} directly (type stripping)`,
          `npm install --save-exact @modelcontextprotocol/sdk@${versions.sdk} zod@${versions.zod}`,
          `node ${entry}`,
          `npx @modelcontextprotocol/inspector@${versions.inspector} --cli node ${entry} --method tools/list`,
          `npx @modelcontextprotocol/inspector@${versions.inspector} node ${entry}   # web UI (Node >= 22.19)`,
        ];
  return { repo, ownMachine };
}

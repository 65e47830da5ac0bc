// The "run it locally" panel: the exact commands that run the same checks with the same pinned
// versions as the online grader ("passes locally, fails online" must not happen).

import { resolveOptions, SANDBOX_HTTP_PORT } from "../../sandbox/config.ts";
import { loadRuntime } from "../../sandbox/runtime.ts";
import type { LabLanguage, LabSummary } from "./catalog.ts";
import type { DevEnvironment } from "./dev-environment.ts";

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

/** What the commands depend on: the lab's kind and transport, and its world when it has one. */
export interface LocalLab {
  id: string;
  kind: LabSummary["kind"];
  transport: LabSummary["transport"];
  /** Streamable HTTP labs: the MCP endpoint's path (lab.yaml httpPath). */
  httpPath: string;
  /** labs/<id>/dev-*.ts, for labs whose server needs the grader's services (lib/labs/dev-environment.ts). */
  devEnvironment: DevEnvironment | null;
}

/**
 * The port an HTTP server gets on the learner's machine: the one it gets in the sandbox (and the one
 * the labs' dev environments export as PORT), so the README's URLs work as written.
 */
export const LOCAL_HTTP_PORT = SANDBOX_HTTP_PORT;

/** A test-suite lab: the learner's suite against our server, as the grader runs it (no variants). */
function testSuiteCommands(
  lab: LocalLab,
  lang: LabLanguage,
  entry: string,
  versions: PinnedVersions,
): LocalCommands {
  const folder = `my-${lab.id}`;
  const server = lang === "python" ? "server.py" : "server.ts";
  const repo = [
    `# save your tests in ${folder}/ (${entry}), then: the original and every variant, as graded`,
    `npm run grade -- --lab ${lab.id} --dir ${folder} --lang ${lang}`,
  ];
  const ownMachine =
    lang === "python"
      ? [
          `# next to ${entry}: our ${server} (labs/${lab.id}/subject/python/${server})`,
          `uv run --with mcp==${versions.mcp} --with pytest==${versions.pytest} pytest ${entry}`,
        ]
      : [
          `# next to ${entry}: our ${server} (labs/${lab.id}/subject/typescript/${server}); Node ${versions.node}`,
          `npm install --save-exact @modelcontextprotocol/sdk@${versions.sdk} zod@${versions.zod} vitest@${versions.vitest}`,
          `npx vitest run ${entry}`,
        ];
  return { repo, ownMachine };
}

/** Where the panel has the dev environment's output saved, to `source` it. */
function worldEnvFile(labId: string): string {
  return `/tmp/${labId}-env`;
}

/** How the learner's server starts on their machine (env: a prefix such as "PORT=8000 "). */
function serverStart(lang: LabLanguage, entry: string, versions: PinnedVersions, env = ""): string {
  return lang === "python" ? `${env}uv run --with mcp==${versions.mcp} ${entry}` : `${env}node ${entry}`;
}

function sdkInstall(versions: PinnedVersions): string {
  return `npm install --save-exact @modelcontextprotocol/sdk@${versions.sdk} zod@${versions.zod}`;
}

/** A stdio lab: the Inspector starts the server itself. */
function stdioCommands(lang: LabLanguage, entry: string, versions: PinnedVersions): string[] {
  const inspector = `npx @modelcontextprotocol/inspector@${versions.inspector}`;
  const start = serverStart(lang, entry, versions);
  return [
    ...(lang === "python"
      ? [`# Python ${versions.python} with the pinned SDK (uv fetches it into a throwaway environment)`]
      : [`# Node ${versions.node} runs ${entry} directly (type stripping)`, sdkInstall(versions)]),
    start,
    `${inspector} --cli ${start} --method tools/list`,
    `${inspector} ${start}   # web UI (Node >= 22.19)`,
  ];
}

/**
 * A Streamable HTTP lab: the server listens on 127.0.0.1:$PORT (the solutions read PORT, as in the
 * sandbox), and the Inspector connects to its URL with the http transport. A lab with a world (an
 * authorization server, an upstream) needs its dev environment first, which exports PORT and the rest.
 */
function httpCommands(lab: LocalLab, lang: LabLanguage, entry: string, versions: PinnedVersions): string[] {
  const inspector = `npx @modelcontextprotocol/inspector@${versions.inspector}`;
  const url = `http://127.0.0.1:${LOCAL_HTTP_PORT}${lab.httpPath}`;
  const world = lab.devEnvironment;
  const header = world?.token ? ` --header "Authorization: Bearer $${world.token}"` : "";
  return [
    ...(world
      ? [
          `# ${entry} reads the lab's environment (PORT=${LOCAL_HTTP_PORT}, the services' URLs, secrets): start the`,
          `# lab's world from a checkout of the repository and source what it prints (above), then:`,
        ]
      : []),
    ...(lang === "python"
      ? ["# Python: uv fetches the pinned SDK into a throwaway environment"]
      : [
          `# TypeScript: Node ${versions.node} runs ${entry} directly (type stripping)`,
          sdkInstall(versions),
        ]),
    serverStart(lang, entry, versions, world ? "" : `PORT=${LOCAL_HTTP_PORT} `),
    `# in another terminal${world ? ` (source ${worldEnvFile(lab.id)} there too)` : ""}: the Inspector (Node >= 22.19) on ${url}, Streamable HTTP`,
    `${inspector} --cli ${url} --transport http${header} --method tools/list`,
    `${inspector} ${url} --transport http${header}   # web UI`,
  ];
}

export function localCommands(
  lab: LocalLab,
  lang: LabLanguage,
  entry: string,
  versions: PinnedVersions,
): LocalCommands {
  if (lab.kind === "test-suite") return testSuiteCommands(lab, lang, entry, versions);
  const folder = `my-${lab.id}`;
  const world = lab.devEnvironment;
  const env = worldEnvFile(lab.id);
  const repo = [
    `# save your files in ${folder}/ (${entry} and any others), then:`,
    `npm run grade -- --lab ${lab.id} --dir ${folder} --lang ${lang}`,
    `npm run grade -- --lab ${lab.id} --dir ${folder} --lang ${lang} --json   # full result, trace and stderr`,
    ...(world
      ? [
          `# to try it by hand: the lab's world on your loopback; it prints the environment to export and user tokens`,
          `npx tsx ${world.script} > ${env} &`,
          `source ${env}   # then start your server and the Inspector in this shell (below)`,
        ]
      : [
          `npm run inspect -- --lab ${lab.id} --dir ${folder} --lang ${lang}          # the MCP Inspector on your server`,
        ]),
  ];
  const ownMachine =
    lab.transport === "http"
      ? httpCommands(lab, lang, entry, versions)
      : stdioCommands(lang, entry, versions);
  return { repo, ownMachine };
}

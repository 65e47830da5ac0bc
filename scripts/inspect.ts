// npm run inspect -- --lab <id> --dir <folder> [--lang python|typescript] [--method tools/list ...]
// Opens the MCP Inspector (@modelcontextprotocol/inspector) on the learner's server, for local work:
// the web UI by default; with --method (and --tool-name / --tool-arg) its CLI prints one answer.
// The server runs as a plain local process (your code, your machine), with the runtime the grader
// pins when it is installed (scripts/install-runtimes.sh), and nothing of it is left when we exit. The Inspector needs Node >= 22.19, which
// `npm run` provides (the project's Node 24).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { type LabLanguage, loadLabConfig } from "../conformance/lab-config.ts";
import { pinnedVersions } from "../lib/labs/local-commands.ts";
import { projectPath } from "../lib/paths.ts";
import { resolveOptions } from "../sandbox/config.ts";
import { freePort } from "../sandbox/free-port.ts";
import { loadRuntime } from "../sandbox/runtime.ts";

function fail(message: string): never {
  console.error(`inspect: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    lab: { type: "string" },
    dir: { type: "string" },
    lang: { type: "string" },
    method: { type: "string" },
    "tool-name": { type: "string" },
    "tool-arg": { type: "string", multiple: true },
    uri: { type: "string" },
  },
});
if (!values.lab || !values.dir)
  fail("usage: npm run inspect -- --lab <id> --dir <folder> [--lang python|typescript]");
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19))
  fail(
    `the Inspector needs Node >= 22.19 (this is ${process.versions.node}); run it through \`npm run inspect\``,
  );

const loaded = await loadLabConfig(values.lab, projectPath("labs"));
if (!loaded.ok) fail(loaded.error);
const lab = loaded.value;
const dir = path.resolve(values.dir);
if (!existsSync(dir)) fail(`no folder ${dir}`);

const lang = (values.lang ?? lab.languages.find((l) => existsSync(path.join(dir, lab.entry[l] ?? "")))) as
  | LabLanguage
  | undefined;
if (!lang || !lab.languages.includes(lang))
  fail(`give --lang (${lab.languages.join(" or ")}): no entry file of this lab found in ${dir}`);
const entry = lab.entry[lang] as string;
if (!existsSync(path.join(dir, entry))) fail(`${entry} is not in ${dir}`);

/** The command that starts the server, with the grader's pinned runtime when it is installed. */
async function serverCommand(): Promise<string[]> {
  const runtime = await loadRuntime(resolveOptions().runtimesRoot);
  const versions = await pinnedVersions();
  if (lang === "python") {
    if (runtime) return [runtime.pythonBin, entry];
    const uv = spawnSync("uv", ["--version"], { stdio: "ignore" });
    if (uv.status === 0) return ["uv", "run", "--with", `mcp==${versions.mcp}`, entry];
    console.error("inspect: no pinned runtime and no uv; using python3 (it needs `mcp` installed)");
    return ["python3", entry];
  }
  try {
    createRequire(path.join(dir, "server.js")).resolve("@modelcontextprotocol/sdk/server/mcp.js");
  } catch {
    fail(
      `${entry} imports @modelcontextprotocol/sdk, which ${dir} cannot resolve: run ` +
        `\`npm install --save-exact @modelcontextprotocol/sdk@${versions.sdk} zod@${versions.zod}\` there, or use a folder inside this repository`,
    );
  }
  return [process.execPath, entry];
}

const command = await serverCommand();
const inspector = projectPath("node_modules", ".bin", "mcp-inspector");
const cliArgs = values.method
  ? [
      "--method",
      values.method,
      ...(values["tool-name"] ? ["--tool-name", values["tool-name"]] : []),
      ...(values["tool-arg"] ?? []).flatMap((arg) => ["--tool-arg", arg]),
      ...(values.uri ? ["--uri", values.uri] : []),
    ]
  : [];
const mode = values.method ? "--cli" : "--web";
const env = { ...process.env, MCP_INSPECTOR_SECRET_STORE: "memory" };

let server: ChildProcess | undefined;
let args: string[];
if (lab.transport === "stdio") {
  args = values.method ? [mode, ...command, ...cliArgs] : [mode, "--cwd", dir, ...command];
} else {
  // Streamable HTTP: start the server on a free port, then point the Inspector at it.
  const port = await freePort();
  server = spawn(command[0], command.slice(1), {
    cwd: dir,
    env: { ...env, PORT: String(port) },
    // Its stdout to our stderr: ours carries only the Inspector's answer (pipe it to a file).
    stdio: ["ignore", 2, 2],
    // Its own process group, ended as a whole afterwards (endGroup).
    detached: true,
  });
  const url = `http://127.0.0.1:${port}${lab.httpPath}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(url, { method: "GET" }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (server.exitCode !== null)
      fail(`the server exited (${server.exitCode}) before it listened on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  args = [mode, "--transport", "http", "--server-url", url, ...cliArgs];
}
if (!values.method) console.error(`inspect: ${lab.id} (${lang}) from ${dir}; opening the Inspector web UI…`);
/** True while a process of the group runs (on Linux a zombie, dead and waiting for init, does not count). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc/self/stat")) return true;
  return readdirSync("/proc").some((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      return group === String(pgid) && state !== "Z" && state !== "X";
    } catch {
      return false; // gone meanwhile
    }
  });
}

/**
 * Ends a detached child's process group (the Inspector and the stdio server it started, or our HTTP
 * server) and waits until none of it is left: the Inspector exits without waiting for its server.
 * SIGTERM, then SIGKILL after 5 s; bounded, so a zombie nobody reaps cannot hold us.
 */
async function endGroup(pgid: number | undefined): Promise<void> {
  if (pgid === undefined || !groupAlive(pgid)) return;
  const pause = () => new Promise((r) => setTimeout(r, 20));
  for (const [signal, rounds] of [
    ["SIGTERM", 250],
    ["SIGKILL", 250],
  ] as const) {
    try {
      process.kill(-pgid, signal);
    } catch {
      return;
    }
    for (let i = 0; i < rounds && groupAlive(pgid); i++) await pause();
    if (!groupAlive(pgid)) return;
  }
}

// stdio CLI mode runs the server command itself, in our cwd: run from the submission folder. Its own
// process group, so that the server it starts can be ended with it.
const child = spawn(inspector, args, { cwd: dir, env, stdio: "inherit", detached: true });
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (child.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, signal);
  });
child.on("exit", (code) => {
  void Promise.all([endGroup(child.pid), endGroup(server?.pid)]).then(() => process.exit(code ?? 0));
});

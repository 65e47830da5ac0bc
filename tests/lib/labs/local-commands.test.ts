// The "Run it locally" panel: the commands per kind (server / test-suite) and transport (stdio / HTTP,
// with or without a lab world), in agreement with each HTTP lab's README, and the printed Inspector
// commands run for real against reference solutions (the Inspector 2.12.0 in node_modules).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { entryFile, getLab, type Lab, type LabLanguage, listLabs } from "../../../lib/labs/catalog.ts";
import { devEnvironmentOf } from "../../../lib/labs/dev-environment.ts";
import {
  LOCAL_HTTP_PORT,
  type LocalCommands,
  type LocalLab,
  localCommands,
  type PinnedVersions,
  pinnedVersions,
} from "../../../lib/labs/local-commands.ts";
import { projectPath } from "../../../lib/paths.ts";
import { resolveOptions } from "../../../sandbox/config.ts";
import { freePort } from "../../../sandbox/free-port.ts";
import { loadRuntime } from "../../../sandbox/runtime.ts";

let versions: PinnedVersions;
beforeAll(async () => {
  versions = await pinnedVersions();
});

async function labFor(id: string): Promise<{ lab: Lab; local: LocalLab }> {
  const lab = await getLab(id);
  if (!lab) throw new Error(`no lab ${id}`);
  return {
    lab,
    local: {
      id: lab.id,
      kind: lab.kind,
      transport: lab.transport,
      httpPath: lab.config.httpPath,
      devEnvironment: await devEnvironmentOf(lab.id),
    },
  };
}

async function commandsOf(id: string, lang: LabLanguage): Promise<LocalCommands> {
  const { lab, local } = await labFor(id);
  return localCommands(local, lang, entryFile(lab, lang), versions);
}

const inspector = () => `npx @modelcontextprotocol/inspector@${versions.inspector}`;

describe("local commands", () => {
  it("pins the Inspector that is installed", () => {
    const installed = JSON.parse(
      readFileSync(projectPath("node_modules/@modelcontextprotocol/inspector/package.json"), "utf8"),
    ) as { version: string };
    expect(versions.inspector).toBe(installed.version);
  });

  it("a stdio server lab: the Inspector starts the server itself", async () => {
    const py = await commandsOf("hello-server", "python");
    const start = `uv run --with mcp==${versions.mcp} server.py`;
    expect(py.ownMachine).toContain(start);
    expect(py.ownMachine).toContain(`${inspector()} --cli ${start} --method tools/list`);
    expect(py.ownMachine.join("\n")).not.toMatch(/PORT=|--transport http/);
    expect(py.repo).toContain("npm run grade -- --lab hello-server --dir my-hello-server --lang python");
    expect(py.repo.some((line) => line.startsWith("npm run inspect -- --lab hello-server"))).toBe(true);

    const ts = await commandsOf("hello-server", "typescript");
    expect(ts.ownMachine).toContain(
      `npm install --save-exact @modelcontextprotocol/sdk@${versions.sdk} zod@${versions.zod}`,
    );
    expect(ts.ownMachine).toContain(`${inspector()} --cli node server.ts --method tools/list`);
  });

  it("an HTTP server lab: PORT for the server, the Inspector's HTTP form on its URL", async () => {
    for (const lang of ["python", "typescript"] as const) {
      const { ownMachine, repo } = await commandsOf("streamable-http", lang);
      const start =
        lang === "python"
          ? `PORT=${LOCAL_HTTP_PORT} uv run --with mcp==${versions.mcp} server.py`
          : `PORT=${LOCAL_HTTP_PORT} node server.ts`;
      expect(ownMachine).toContain(start);
      const url = `http://127.0.0.1:${LOCAL_HTTP_PORT}/mcp`;
      expect(ownMachine).toContain(`${inspector()} --cli ${url} --transport http --method tools/list`);
      expect(ownMachine.some((line) => line.startsWith(`${inspector()} ${url} --transport http`))).toBe(true);
      // Never the stdio form, which would start a second server and speak stdio to it.
      expect(ownMachine.join("\n")).not.toMatch(/--cli (uv|node) /);
      expect(repo.some((line) => line.startsWith("npm run inspect -- --lab streamable-http"))).toBe(true);
    }
  });

  it("an HTTP lab with a world: its dev environment first, then the server with its token", async () => {
    const env = await devEnvironmentOf("oauth-resource-server");
    expect(env).toEqual({
      script: "labs/oauth-resource-server/dev-authorization-server.ts",
      token: "ALICE_TOKEN",
    });
    expect(await devEnvironmentOf("capstone")).toEqual({
      script: "labs/capstone/dev-environment.ts",
      token: "OPS_TOKEN",
    });
    expect(await devEnvironmentOf("streamable-http")).toBeNull();

    const { repo, ownMachine } = await commandsOf("oauth-resource-server", "python");
    expect(repo).toContain(
      "npx tsx labs/oauth-resource-server/dev-authorization-server.ts > /tmp/oauth-resource-server-env &",
    );
    expect(repo.some((line) => line.startsWith("source /tmp/oauth-resource-server-env"))).toBe(true);
    // npm run inspect starts the server without the world's environment: not offered here.
    expect(repo.join("\n")).not.toContain("npm run inspect");
    // The world exports PORT itself.
    expect(ownMachine).toContain(`uv run --with mcp==${versions.mcp} server.py`);
    expect(ownMachine).toContain(
      `${inspector()} --cli http://127.0.0.1:${LOCAL_HTTP_PORT}/mcp --transport http --header "Authorization: Bearer $ALICE_TOKEN" --method tools/list`,
    );
  });

  it("a test-suite lab: the learner's suite against our server, per language", async () => {
    const py = await commandsOf("contract-tests", "python");
    const { lab } = await labFor("contract-tests");
    const entry = entryFile(lab, "python");
    expect(py.ownMachine).toContain(
      `uv run --with mcp==${versions.mcp} --with pytest==${versions.pytest} pytest ${entry}`,
    );
    expect(py.repo).toContain(`npm run grade -- --lab contract-tests --dir my-contract-tests --lang python`);
    expect([...py.repo, ...py.ownMachine].join("\n")).not.toMatch(/inspector|npm run inspect/);
    const ts = await commandsOf("contract-tests", "typescript");
    expect(ts.ownMachine).toContain(`npx vitest run ${entryFile(lab, "typescript")}`);
    expect(ts.ownMachine.some((line) => line.includes(`vitest@${versions.vitest}`))).toBe(true);
  });

  it("agrees with every HTTP lab's README: server start, dev environment, Inspector", async () => {
    const httpLabs = (await listLabs()).filter((lab) => lab.transport === "http" && lab.kind === "server");
    expect(httpLabs.map((lab) => lab.id).sort()).toEqual(
      ["capstone", "oauth-resource-server", "sampling-elicitation", "streamable-http"].sort(),
    );
    for (const summary of httpLabs) {
      const { lab, local } = await labFor(summary.id);
      // Shell continuations joined, so a command split over lines reads as one.
      const readme = lab.readme.replace(/\\\n\s*/g, "");
      for (const lang of lab.languages) {
        const { ownMachine } = localCommands(local, lang, entryFile(lab, lang), versions);
        const start = ownMachine.find((line) => /^(PORT=\d+ )?(uv run|node) /.test(line));
        expect(start, `${lab.id} ${lang}: a start line`).toBeDefined();
        expect(readme, `${lab.id} ${lang}`).toContain(start);
        // The Inspector's CLI line as far as the README spells it (its READMEs call other methods).
        const cli = ownMachine.find((line) => line.includes(" --cli "));
        const spelled = cli?.replace(/ --method tools\/list$/, "");
        if (readme.includes("@modelcontextprotocol/inspector")) expect(readme, lab.id).toContain(spelled);
        if (local.devEnvironment) expect(readme, lab.id).toContain(`npx tsx ${local.devEnvironment.script}`);
      }
    }
  });
});

// ---- the printed commands, run ----

/** A printed line as argv, with the Inspector from node_modules (same version) and this Node. */
async function argvOf(line: string): Promise<{ env: Record<string, string>; argv: string[] }> {
  const words = line.split(" ");
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0])) {
    const [key, value] = words.shift()!.split("=");
    env[key] = value;
  }
  const argv: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === "npx" && words[i + 1] === `@modelcontextprotocol/inspector@${versions.inspector}`) {
      argv.push(projectPath("node_modules/.bin/mcp-inspector"));
      i++;
    } else if (words[i] === "node") argv.push(process.execPath);
    else if (words[i] === "uv" && words[i + 1] === "run") {
      // uv is not on this machine: the grader's pinned Python runtime has the same mcp.
      const runtime = await loadRuntime(resolveOptions().runtimesRoot);
      if (!runtime) throw new Error("no pinned runtime for the Python command");
      argv.push(runtime.pythonBin);
      i += 3; // run --with mcp==X
    } else argv.push(words[i]);
  }
  return { env, argv };
}

function run(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      argv[0],
      argv.slice(1),
      { cwd, env: { ...process.env, MCP_INSPECTOR_SECRET_STORE: "memory", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

describe("the printed commands work", () => {
  const servers: ChildProcess[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if (server.exitCode !== null || server.signalCode !== null) continue;
      const gone = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await gone;
    }
  });

  it("stdio: the Inspector CLI line lists hello-server's tools", async () => {
    const { ownMachine } = await commandsOf("hello-server", "typescript");
    const cli = ownMachine.find((line) => line.includes(" --cli "))!;
    const { argv } = await argvOf(cli);
    const out = await run(argv, projectPath("labs/hello-server/solution/typescript"));
    expect(out).toContain('"add_note"');
  });

  it.each(["typescript", "python"] as const)(
    "HTTP (%s): the server line listens where the Inspector CLI line looks",
    async (lang) => {
      const { ownMachine } = await commandsOf("streamable-http", lang);
      const port = String(await freePort());
      const here = (line: string) => line.replaceAll(String(LOCAL_HTTP_PORT), port);
      const start = await argvOf(here(ownMachine.find((line) => line.startsWith("PORT="))!));
      expect(start.env).toEqual({ PORT: port });
      const dir = path.dirname(projectPath("labs/streamable-http/solution", lang, "x"));
      const server = spawn(start.argv[0], start.argv.slice(1), {
        cwd: dir,
        env: { ...process.env, ...start.env },
        stdio: ["ignore", "ignore", "pipe"],
      });
      servers.push(server);
      // Listening once it says so on stderr: uvicorn once bound, the TypeScript solution in listen()'s callback.
      const ready = new RegExp(
        `${lang === "python" ? "Uvicorn running on" : "listening on"} http://127\\.0\\.0\\.1:${port}`,
      );
      await new Promise<void>((resolve, reject) => {
        let seen = "";
        server.stderr?.on("data", (chunk: Buffer) => {
          seen += chunk.toString();
          if (ready.test(seen)) resolve();
        });
        server.once("exit", (code) => reject(new Error(`server exited (${code}): ${seen}`)));
      });
      const cli = await argvOf(here(ownMachine.find((line) => line.includes(" --cli "))!));
      const out = await run(cli.argv, dir);
      expect(out).toContain('"tools"');
    },
  );
});

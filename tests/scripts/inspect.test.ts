// npm run inspect with --method: the Inspector's CLI on a lab's reference server prints the answer,
// exits 0, and leaves no process behind (the server it started included). stdio: the Inspector starts
// the server; Streamable HTTP: the script starts it on a free port and stops it afterwards.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../lib/paths.ts";

/**
 * Processes whose working directory is `dir`: the Inspector and the server run from the submission
 * folder, in a process group of their own (a zombie's cwd cannot be read: it does not count).
 */
function processesIn(dir: string): number[] {
  return readdirSync("/proc").flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      return readlinkSync(`/proc/${name}/cwd`) === dir ? [Number(name)] : [];
    } catch {
      return []; // gone meanwhile, or not ours to read
    }
  });
}

/** Processes of the group still running; zombies (dead, waiting for init to reap them) do not count. */
function runningInGroup(pgid: number): string[] {
  return readdirSync("/proc").flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      return group === String(pgid) && state !== "Z" && state !== "X"
        ? [readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")]
        : [];
    } catch {
      return [];
    }
  });
}

async function inspect(args: string[]) {
  // Its own process group, so that whatever it started can be found afterwards.
  const child = spawn("npm", ["run", "--silent", "inspect", "--", ...args], {
    cwd: projectPath(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LOG_LEVEL: "warn" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr, pgid: child.pid! };
}

describe("npm run inspect -- --method", () => {
  it.each([
    ["hello-server", "labs/hello-server/solution/python", "add_note"],
    ["streamable-http", "labs/streamable-http/solution/python", "slow_count"],
  ])("%s (%s): tools/list printed, exit 0, no process left", async (lab, dir, tool) => {
    const run = await inspect(["--lab", lab, "--dir", dir, "--method", "tools/list"]);
    expect(run.code, run.stderr).toBe(0);
    const tools = (JSON.parse(run.stdout) as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    expect(tools).toContain(tool);
    expect(runningInGroup(run.pgid)).toEqual([]);
    expect(processesIn(projectPath(dir))).toEqual([]);
  });

  it("refuses a folder without the lab's entry file, exit 2", async () => {
    const run = await inspect([
      "--lab",
      "hello-server",
      "--dir",
      "labs/hello-server",
      "--method",
      "tools/list",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no entry file of this lab found/);
  });
});

// Shared helpers for the sandbox tests: launching fixtures, reading lines, finding leftovers.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { defaultLimits } from "../../sandbox/index.ts";
import type { LaunchRequest, SandboxLimits } from "../../sandbox/types.ts";

export const REPO_DIR = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const HOSTILE_DIR = path.join(REPO_DIR, "tests/fixtures/hostile");

export function fixtureRequest(
  name: string,
  overrides: Partial<Omit<LaunchRequest, "limits">> & { limits?: Partial<SandboxLimits> } = {},
): LaunchRequest {
  const { limits, ...rest } = overrides;
  const language = rest.language ?? "python";
  return {
    sourceDir: path.join(HOSTILE_DIR, name),
    language,
    entry: language === "python" ? "server.py" : "server.ts",
    transport: "stdio",
    ...rest,
    limits: { ...defaultLimits, ...limits },
  };
}

/** Resolves with the first line the stream produces (rejects if it ends first). */
export function firstLine(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const onData = (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        stream.off("data", onData);
        resolve(buf.slice(0, nl));
      }
    };
    stream.on("data", onData);
    stream.once("end", () => reject(new Error(`stream ended before a line; got ${JSON.stringify(buf)}`)));
  });
}

export function initializeRequest(id = 1): string {
  return `${JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "sandbox-test", version: "1" },
    },
  })}\n`;
}

export interface HostProcess {
  pid: number;
  uid: number;
  cmdline: string;
}

/** Every process on the host (from /proc), with its real uid and command line. */
export async function hostProcesses(): Promise<HostProcess[]> {
  const out: HostProcess[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [status, cmdline] = await Promise.all([
        readFile(`/proc/${entry}/status`, "utf8"),
        readFile(`/proc/${entry}/cmdline`, "utf8"),
      ]);
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
      out.push({ pid: Number(entry), uid, cmdline: cmdline.replaceAll("\0", " ") });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

export async function uidOf(user: string): Promise<number> {
  const passwd = await readFile("/etc/passwd", "utf8");
  const line = passwd.split("\n").find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no user ${user}`);
  return Number(line.split(":")[2]);
}

// The runtime root built by scripts/install-runtimes.sh, and the command line that starts a server.
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Language, SandboxLimits } from "./types.ts";

const versionsSchema = z.object({
  python: z.string(),
  mcp: z.string(),
  node: z.string(),
  sdk: z.string(),
  zod: z.string().optional(),
  pytest: z.string().optional(),
  vitest: z.string().optional(),
});

export type RuntimeVersions = z.infer<typeof versionsSchema>;

export interface Runtime {
  root: string;
  versions: RuntimeVersions;
  pythonBin: string;
  nodeBin: string;
  nodeModules: string;
  relayScript: string;
  etcDir: string;
}

const cache = new Map<string, Promise<Runtime | null>>();

/** Reads the runtime root; null when it was not built (or is incomplete). Cached per root. */
export function loadRuntime(root: string): Promise<Runtime | null> {
  let hit = cache.get(root);
  if (!hit) {
    hit = read(root);
    cache.set(root, hit);
    // A missing runtime may be installed later in this process's life: do not cache the miss.
    void hit.then((rt) => {
      if (!rt) cache.delete(root);
    });
  }
  return hit;
}

async function read(root: string): Promise<Runtime | null> {
  try {
    const versions = versionsSchema.parse(
      JSON.parse(await readFile(path.join(root, "versions.json"), "utf8")),
    );
    const rt: Runtime = {
      root,
      versions,
      pythonBin: path.join(root, "python", "bin", "python"),
      nodeBin: path.join(root, "node", "bin", "node"),
      nodeModules: path.join(root, "node", "node_modules"),
      relayScript: path.join(root, "relay", "http-relay.py"),
      etcDir: path.join(root, "etc"),
    };
    await Promise.all([rt.pythonBin, rt.nodeBin, rt.nodeModules, rt.relayScript].map((p) => access(p)));
    return rt;
  } catch {
    return null;
  }
}

/** Versions shown in results for a server (or, mode "tests", a test suite) of `language`. */
export function runtimeVersions(
  versions: Partial<RuntimeVersions>,
  language: Language,
  mode: "server" | "tests" = "server",
): Record<string, string> {
  const tests = mode === "tests";
  const pick =
    language === "python"
      ? { python: versions.python, mcp: versions.mcp, ...(tests ? { pytest: versions.pytest } : {}) }
      : { node: versions.node, sdk: versions.sdk, ...(tests ? { vitest: versions.vitest } : {}) };
  return Object.fromEntries(Object.entries(pick).filter((e): e is [string, string] => e[1] !== undefined));
}

/** argv that starts the learner's server; `entryPath` is where the entry file is as the server sees it. */
export function serverArgv(
  bins: { pythonBin: string; nodeBin: string },
  language: Language,
  entryPath: string,
  limits: SandboxLimits,
): string[] {
  if (language === "python") return [bins.pythonBin, entryPath];
  // No usable RLIMIT_AS for V8: the memory cgroup is the real cap; this keeps the heap under it.
  return [bins.nodeBin, `--max-old-space-size=${limits.memoryMb}`, entryPath];
}

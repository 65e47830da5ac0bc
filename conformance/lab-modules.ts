// Loads a lab's own TypeScript (checks.ts, mutants.ts) so that an edited lab is graded with its new
// code by a process that is already running (the app's embedded worker, `npm run worker`).
//
// ESM caches a module by URL for the life of the process, so a plain `import(checks.ts)` keeps the
// first version forever. Here every import of a lab module carries a version in its URL (the hash
// of the module and of every lab-local module it imports), and a resolve hook passes that version
// on to the lab-local modules it imports. A changed file changes the hash, so the whole lab-local
// graph is evaluated afresh; an unchanged lab hits the cache. The engine (conformance/) and packages
// are never versioned: there is one check API per process, so `instanceof CheckFailure` holds.
// Each version stays in memory until the process ends (one copy per edit of a lab, which is small).
// Verified under tsx (`npm run worker`), tsx's tsImport (the Next app's native engine) and plain
// Node 24; under Vitest (whose module runner does not use Node's hooks) only the entry module is
// re-evaluated: see tests/conformance/lab-modules.test.ts.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { registerHooks } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const VERSION_PARAM = "mcp-lab-lab-version";

/** A lab module and the lab-local modules it imports, transitively: path -> content. */
export type LabModuleSources = Map<string, string>;

// Static imports and re-exports (`import x from "..."`, `export { y } from "..."`), side-effect
// imports (`import "..."`) and dynamic imports with a literal specifier.
const IMPORT_PATTERNS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

function relativeSpecifiers(source: string): string[] {
  const found = new Set<string>();
  for (const pattern of IMPORT_PATTERNS)
    for (const match of source.matchAll(pattern)) if (match[1].startsWith(".")) found.add(match[1]);
  return [...found];
}

function inside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

async function readIfFile(file: string): Promise<string | null> {
  return readFile(file, "utf8").catch(() => null);
}

/** `entry` and every module under `labsRoot` it imports (other labs' too), read from disk now. */
export async function labModuleSources(entry: string, labsRoot: string): Promise<LabModuleSources> {
  const sources: LabModuleSources = new Map();
  const pending = [path.resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (sources.has(file)) continue;
    const source = await readIfFile(file);
    if (source === null) continue;
    sources.set(file, source);
    for (const specifier of relativeSpecifiers(source)) {
      const target = path.resolve(path.dirname(file), specifier);
      if (!inside(path.resolve(labsRoot), target)) continue; // the engine, never versioned
      pending.push(target);
      if (target.endsWith(".js")) pending.push(`${target.slice(0, -3)}.ts`);
    }
  }
  return sources;
}

/** SHA-256 (hex) over path (relative to labsRoot) and content of each file, in path order. */
export function hashSources(sources: LabModuleSources, labsRoot: string): string {
  const hash = createHash("sha256");
  for (const file of [...sources.keys()].sort()) {
    hash.update(path.relative(labsRoot, file).split(path.sep).join("/"));
    hash.update("\0");
    hash.update(sources.get(file) as string);
    hash.update("\0");
  }
  return hash.digest("hex");
}

const state = globalThis as unknown as { mcpLabLabRoots?: Set<string> };

/** Installs, once per process, the hook that passes a lab module's version on to its lab-local imports. */
function versionedRoots(): Set<string> {
  if (state.mcpLabLabRoots) return state.mcpLabLabRoots;
  const roots = new Set<string>();
  state.mcpLabLabRoots = roots;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (!context.parentURL?.includes(VERSION_PARAM) || !resolved.url.startsWith("file:")) return resolved;
      const version = new URL(context.parentURL).searchParams.get(VERSION_PARAM);
      const url = new URL(resolved.url);
      if (!version || url.searchParams.has(VERSION_PARAM)) return resolved;
      const file = fileURLToPath(url);
      if (![...roots].some((root) => inside(root, file))) return resolved;
      url.searchParams.set(VERSION_PARAM, version);
      return { ...resolved, url: url.href };
    },
  });
  return roots;
}

/**
 * Imports a lab module (labs/<id>/checks.ts, mutants.ts) as it is on disk now: evaluated again when it
 * or a lab-local module it imports has changed since the last import, taken from the cache otherwise.
 */
export async function importLabModule(file: string, labsRoot: string): Promise<unknown> {
  versionedRoots().add(path.resolve(labsRoot));
  const version = hashSources(await labModuleSources(file, labsRoot), labsRoot).slice(0, 16);
  return import(/* @vite-ignore */ `${pathToFileURL(file).href}?${VERSION_PARAM}=${version}`);
}

/**
 * The short hash of what grades a lab: lab.yaml, and checks.ts and mutants.ts (those that exist) with
 * every lab-local module they import. Results carry it as `checksHash` (docs/grading.md).
 */
export async function labChecksHash(labsRoot: string, labId: string): Promise<string> {
  const labDir = path.join(labsRoot, labId);
  const sources: LabModuleSources = new Map();
  const config = await readIfFile(path.join(labDir, "lab.yaml"));
  if (config === null) throw new Error(`labs/${labId}/lab.yaml: not found`);
  sources.set(path.join(labDir, "lab.yaml"), config);
  for (const entry of ["checks.ts", "mutants.ts"])
    for (const [file, source] of await labModuleSources(path.join(labDir, entry), labsRoot))
      sources.set(file, source);
  return hashSources(sources, labsRoot).slice(0, 12);
}

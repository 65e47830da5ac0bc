// The labs as the web app sees them: lab.yaml (validated by the engine's loader, reached through
// lib/worker/native.ts), the task README,
// the starter files per language and the limits a run gets. Read from labs/ at run time and cached
// per process (labs are files in the repo; a deploy ships new ones).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { LabConfig, LabLanguage } from "../../conformance/lab-config.ts";
import { projectPath } from "../paths.ts";
import { nativeEngine } from "../worker/native.ts";
import { effectiveLimits, type LabLimits } from "./limits.ts";

export const LABS_ROOT = projectPath("labs");

export type { LabLanguage };

export interface LabSummary {
  id: string;
  title: string;
  module: number;
  summary: string;
  transport: LabConfig["transport"];
  /** "server": the learner writes a server; "test-suite": the learner writes tests for ours. */
  kind: LabConfig["kind"];
  languages: LabLanguage[];
  limits: LabLimits;
  requiredForCertificate: boolean;
}

export interface Lab extends LabSummary {
  config: LabConfig;
  readme: string;
  /** Starter files per language: relative path -> content. */
  starters: Partial<Record<LabLanguage, Record<string, string>>>;
}

const labIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// Folders that are build output or caches, never part of a starter.
const SKIPPED_DIRS = new Set(["node_modules", "__pycache__", ".venv", ".mypy_cache", ".pytest_cache"]);

async function readTree(root: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(/* turbopackIgnore: true */ path.join(root, prefix), {
    withFileTypes: true,
  }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) Object.assign(out, await readTree(root, rel));
    } else if (entry.isFile()) {
      out[rel] = await readFile(/* turbopackIgnore: true */ path.join(root, rel), "utf8");
    }
  }
  return out;
}

function summarize(config: LabConfig): LabSummary {
  return {
    id: config.id,
    title: config.title,
    module: config.module,
    summary: config.summary,
    transport: config.transport,
    kind: config.kind,
    languages: config.languages,
    limits: effectiveLimits(config),
    requiredForCertificate: config.requiredForCertificate,
  };
}

async function load(id: string): Promise<Lab | null> {
  const { labConfig } = await nativeEngine();
  const loaded = await labConfig.loadLabConfig(id, LABS_ROOT);
  if (!loaded.ok) return null;
  const config = loaded.value;
  const readme = await readFile(
    /* turbopackIgnore: true */ path.join(LABS_ROOT, id, "README.md"),
    "utf8",
  ).catch(() => "");
  const starters: Lab["starters"] = {};
  for (const lang of config.languages)
    starters[lang] = await readTree(path.join(LABS_ROOT, id, "starter", lang));
  return { ...summarize(config), config, readme, starters };
}

const globalCache = globalThis as unknown as { mcpLabLabs?: Map<string, Promise<Lab | null>> };

/** The lab with this id, or null when there is none (or its lab.yaml is invalid). */
export function getLab(id: string): Promise<Lab | null> {
  if (!labIdPattern.test(id)) return Promise.resolve(null);
  globalCache.mcpLabLabs ??= new Map();
  const cache = globalCache.mcpLabLabs;
  let hit = cache.get(id);
  if (!hit) {
    hit = load(id);
    cache.set(id, hit);
    hit.catch(() => cache.delete(id));
  }
  return hit;
}

/** Every valid lab, by module then id. */
export async function listLabs(): Promise<LabSummary[]> {
  const { labConfig } = await nativeEngine();
  const ids = await labConfig.listLabIds(LABS_ROOT);
  const labs = await Promise.all(ids.map((id) => getLab(id)));
  return labs
    .filter((lab): lab is Lab => lab !== null)
    .map((lab) => summarize(lab.config))
    .sort((a, b) => a.module - b.module || a.id.localeCompare(b.id));
}

/** The entry file of `lang` for this lab (server.py / server.ts). */
export function entryFile(lab: Pick<Lab, "config">, lang: LabLanguage): string {
  return lab.config.entry[lang] ?? (lang === "python" ? "server.py" : "server.ts");
}

// Monaco is served by the app itself from node_modules/monaco-editor/min/vs (no CDN): the lab page's
// editor loader points at MONACO_VS_PATH. The version is part of the URL, so files cache forever; it is
// the installed package's, so an upgrade of monaco-editor moves the URL with it.
import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { projectPath } from "../paths.ts";

const MONACO_ROOT = projectPath("node_modules", "monaco-editor");

/** The installed monaco-editor's version (its exports do not include package.json, so read the file). */
export const MONACO_VERSION: string = (
  JSON.parse(readFileSync(/* turbopackIgnore: true */ path.join(MONACO_ROOT, "package.json"), "utf8")) as {
    version: string;
  }
).version;
export const MONACO_BASE = "/api/labs/monaco";
export const MONACO_VS_PATH = `${MONACO_BASE}/${MONACO_VERSION}/vs`;

const VS_ROOT = path.join(MONACO_ROOT, "min", "vs");
const segment = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
};

export type MonacoAsset = { body: Buffer; contentType: string } | null;

/** The file under min/vs for [version, "vs", ...rest], or null (wrong version, bad or unknown path). */
export async function monacoAsset(segments: string[]): Promise<MonacoAsset> {
  const [version, vs, ...rest] = segments;
  if (version !== MONACO_VERSION || vs !== "vs" || rest.length === 0) return null;
  if (!rest.every((part) => segment.test(part))) return null;
  const file = path.join(VS_ROOT, ...rest);
  if (!file.startsWith(VS_ROOT + path.sep)) return null;
  const contentType = TYPES[path.extname(file)];
  if (!contentType) return null;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  return { body: await readFile(file), contentType };
}

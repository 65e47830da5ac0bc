// What a learner submits, checked before anything starts: a folder (CLI) or a path -> content map
// (web). Limits keep a grading run small and predictable; a refusal says exactly what is wrong.
import { lstat, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";

export const SUBMISSION_LIMITS = Object.freeze({
  /** Sum of all file sizes. */
  maxTotalBytes: 256 * 1024,
  maxFiles: 64,
  maxPathLength: 200,
});

/** Left out of a folder submission: caches and environments a local run leaves behind. */
export const IGNORED_NAMES = new Set([
  ".git",
  "__pycache__",
  "node_modules",
  ".venv",
  "venv",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".DS_Store",
]);

export type Submission =
  | { ok: true; files: Map<string, Buffer>; ignored: string[] }
  | { ok: false; error: string };

const kb = (n: number) => `${Math.round(n / 102.4) / 10} KB`;

function checkTotals(files: Map<string, Buffer>, entry: string): string | null {
  if (files.size > SUBMISSION_LIMITS.maxFiles) {
    return `The submission has ${files.size} files; the limit is ${SUBMISSION_LIMITS.maxFiles}.`;
  }
  let total = 0;
  for (const content of files.values()) total += content.length;
  if (total > SUBMISSION_LIMITS.maxTotalBytes) {
    return `The submission is ${kb(total)}; the limit is ${kb(SUBMISSION_LIMITS.maxTotalBytes)} in total.`;
  }
  if (!files.has(entry)) return `The submission has no ${entry} (the entry file for this language).`;
  return null;
}

/** Reads a folder, refusing symlinks, devices, sockets and anything over the limits. */
export async function readSubmissionDir(dir: string, entry: string): Promise<Submission> {
  const root = path.resolve(dir);
  const info = await lstat(root).catch(() => null);
  if (!info) return { ok: false, error: `The folder ${dir} does not exist.` };
  if (!info.isDirectory()) return { ok: false, error: `${dir} is not a folder.` };
  const files = new Map<string, Buffer>();
  const ignored: string[] = [];
  let total = 0;
  const walk = async (rel: string): Promise<string | null> => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (IGNORED_NAMES.has(e.name)) {
        ignored.push(relPath);
        continue;
      }
      if (relPath.length > SUBMISSION_LIMITS.maxPathLength)
        return `The path ${relPath.slice(0, 60)}… is too long.`;
      const st = await lstat(path.join(root, relPath));
      if (st.isSymbolicLink()) return `${relPath} is a symbolic link; submit regular files only.`;
      if (st.isDirectory()) {
        const problem = await walk(relPath);
        if (problem) return problem;
        continue;
      }
      if (!st.isFile()) return `${relPath} is not a regular file; submit regular files only.`;
      total += st.size;
      if (total > SUBMISSION_LIMITS.maxTotalBytes) {
        return `The submission is over ${kb(SUBMISSION_LIMITS.maxTotalBytes)} in total (at ${relPath}).`;
      }
      if (files.size + 1 > SUBMISSION_LIMITS.maxFiles) {
        return `The submission has more than ${SUBMISSION_LIMITS.maxFiles} files.`;
      }
      files.set(relPath, await readFile(path.join(root, relPath)));
    }
    return null;
  };
  const problem = await walk("");
  if (problem) return { ok: false, error: problem };
  const totals = checkTotals(files, entry);
  return totals ? { ok: false, error: totals } : { ok: true, files, ignored };
}

const RelPathSchema = z
  .string()
  .min(1)
  .max(SUBMISSION_LIMITS.maxPathLength)
  .regex(/^[A-Za-z0-9_.\-/]+$/, "use letters, digits, _ - . and / only")
  .refine(
    (p) => !p.startsWith("/") && !p.split("/").some((s) => s === ".." || s === "." || s === ""),
    "must be a relative path inside the submission",
  );

/** The web's shape: path -> UTF-8 content. Paths are checked one by one for a precise message. */
export const SubmissionFilesSchema = z.record(z.string(), z.string());

/** Validates a path -> content map (from the web editor). */
export function readSubmissionFiles(input: unknown, entry: string): Submission {
  const parsed = SubmissionFilesSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "The files must be a map of path to text content." };
  for (const key of Object.keys(parsed.data)) {
    const ok = RelPathSchema.safeParse(key);
    if (!ok.success)
      return {
        ok: false,
        error: `Invalid file path ${JSON.stringify(key.slice(0, 80))}: ${ok.error.issues[0].message}`,
      };
  }
  const files = new Map(Object.entries(parsed.data).map(([p, c]) => [p, Buffer.from(c, "utf8")] as const));
  const totals = checkTotals(files, entry);
  return totals ? { ok: false, error: totals } : { ok: true, files, ignored: [] };
}

/** Writes validated files to a fresh private directory (the sandbox copies from there). */
export async function stageSubmission(files: Map<string, Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mcp-lab-submission-"));
  for (const [rel, content] of files) {
    const target = path.join(dir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content, { mode: 0o644 });
  }
  return dir;
}

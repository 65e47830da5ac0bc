// The files a learner sends (submissions, drafts, playground): a small JSON object path -> content,
// validated at the boundary (shape here, total size by oversizeMessage). Names are relative, made of safe characters, never "..": they become
// files in a fresh directory on the grader.
import { z } from "zod";

export const MAX_FILES = 20;
/** Total size of all contents, UTF-8 bytes (DESIGN.md: size-limited submissions). */
export const MAX_TOTAL_BYTES = 256 * 1024;
/** Request bodies may be larger than the contents (JSON escaping); anything beyond is refused unread. */
export const MAX_BODY_BYTES = 2 * MAX_TOTAL_BYTES + 16 * 1024;

const segment = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export const FilePathSchema = z
  .string()
  .min(1, "a file name is empty")
  .max(128, "a file name is longer than 128 characters")
  .refine(
    (name) => name.split("/").every((part) => segment.test(part) && part !== ".." && part !== "."),
    "file names must be relative paths of letters, digits, '_', '-' and '.', without '..'",
  );

export const SubmittedFilesSchema = z.record(FilePathSchema, z.string()).superRefine((files, ctx) => {
  const count = Object.keys(files).length;
  if (count < 1) ctx.addIssue({ code: "custom", message: "send at least one file" });
  if (count > MAX_FILES) ctx.addIssue({ code: "custom", message: `send at most ${MAX_FILES} files` });
});

/** Why these files are too large to grade, or null. Checked apart from the shape: it answers 413. */
export function oversizeMessage(files: Record<string, string>): string | null {
  const bytes = totalBytes(files);
  if (bytes <= MAX_TOTAL_BYTES) return null;
  return `Your files total ${Math.ceil(bytes / 1024)} KB; a submission may be at most ${MAX_TOTAL_BYTES / 1024} KB. Nothing was stored.`;
}

export type SubmittedFiles = z.infer<typeof SubmittedFilesSchema>;

export function totalBytes(files: Record<string, string>): number {
  const encoder = new TextEncoder();
  let sum = 0;
  for (const content of Object.values(files)) sum += encoder.encode(content).length;
  return sum;
}

/** Stored files (JSON in the database) back to an object; never throws on old or odd rows. */
export function parseStoredFiles(text: string): SubmittedFiles {
  try {
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Same content, same names: the test for an idempotency key reused with other files. */
export function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a).sort();
  const other = Object.keys(b).sort();
  return keys.length === other.length && keys.every((key, i) => key === other[i] && a[key] === b[key]);
}

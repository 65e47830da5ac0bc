import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { projectPath } from "../paths.ts";
import { type QuizFile, quizFileSchema } from "./schema.ts";

export const QUIZ_DIR = projectPath("quizzes");

export type QuizLoad = { ok: true; value: QuizFile } | { ok: false; error: string };

/** Parses one quiz file; errors name the file, the question and the field. */
export function parseQuizFile(file: string, text: string): QuizLoad {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return {
      ok: false,
      error: `${file}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const parsed = quizFileSchema.safeParse(raw);
  if (!parsed.success) {
    const questions = (raw as { questions?: Array<{ id?: unknown }> } | null)?.questions;
    const lines = parsed.error.issues.map((issue) => {
      const [first, index, ...rest] = issue.path;
      const where =
        first === "questions" && typeof index === "number"
          ? `question ${index + 1} (${String(questions?.[index]?.id ?? "no id")})${rest.length ? ` field ${rest.join(".")}` : ""}`
          : `field ${issue.path.join(".") || "(root)"}`;
      return `${file}: ${where}: ${issue.message}`;
    });
    return { ok: false, error: lines.join("\n") };
  }
  if (parsed.data.id !== basename(file).replace(/\.ya?ml$/, ""))
    return { ok: false, error: `${file}: field id: "${parsed.data.id}" must match the file name` };
  return { ok: true, value: parsed.data };
}

export function quizFiles(dir = QUIZ_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Loads every quiz; throws with every problem listed if any file is invalid. */
export function loadAllQuizzes(dir = QUIZ_DIR): Map<string, QuizFile> {
  const quizzes = new Map<string, QuizFile>();
  const errors: string[] = [];
  for (const file of quizFiles(dir)) {
    const result = parseQuizFile(basename(file), readFileSync(file, "utf8"));
    if (result.ok) quizzes.set(result.value.id, result.value);
    else errors.push(result.error);
  }
  if (errors.length > 0) throw new Error(errors.join("\n"));
  return quizzes;
}

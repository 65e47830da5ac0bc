// The gradebook's columns: the certificate's required labs and quizzes, in course/course.yaml's order.
import { loadLabConfig } from "../../conformance/lab-config.ts";
import { courseMeta } from "../certificates/course-meta.ts";
import { projectPath } from "../paths.ts";
import { quizById } from "../quizzes/attempts.ts";

export interface GradebookColumn {
  /** "lab:<id>" or "quiz:<id>": the sort key in the URL and the CSV header's stable part. */
  key: string;
  kind: "lab" | "quiz";
  id: string;
  title: string;
}

export const labColumnKey = (labId: string) => `lab:${labId}`;
export const quizColumnKey = (quizId: string) => `quiz:${quizId}`;

/** The folder the app reads labs from (passed explicitly: the engine's default needs import.meta.dirname). */
export const LABS_ROOT = projectPath("labs");

export async function labTitle(labId: string): Promise<string> {
  const config = await loadLabConfig(labId, LABS_ROOT);
  return config.ok ? config.value.title : labId;
}

export async function gradebookColumns(): Promise<GradebookColumn[]> {
  const { requiredLabs, requiredQuizzes } = courseMeta().certificate;
  const labs = await Promise.all(
    requiredLabs.map(async (id) => ({
      key: labColumnKey(id),
      kind: "lab" as const,
      id,
      title: await labTitle(id),
    })),
  );
  const quizzes = requiredQuizzes.map((id) => ({
    key: quizColumnKey(id),
    kind: "quiz" as const,
    id,
    title: quizById(id)?.title ?? id,
  }));
  return [...labs, ...quizzes];
}

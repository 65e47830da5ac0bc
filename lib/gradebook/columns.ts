// The gradebook's columns: the certificate's required labs and quizzes, in course/course.yaml's order.
import { courseMeta } from "../certificates/course-meta.ts";
import { getLab } from "../labs/catalog.ts";
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

/** The lab's title from its lab.yaml (through the app's lab catalog), or its id if it has none. */
export async function labTitle(labId: string): Promise<string> {
  return (await getLab(labId))?.title ?? labId;
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

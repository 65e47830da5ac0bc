// A question's `lesson:` must name a lesson that exists in course/, and a module quiz tests its own
// module's lessons (the final quiz may point anywhere). Used by quizzes:check and the tests.
import { allLessons } from "../course/catalog.ts";
import type { QuizFile } from "./schema.ts";

export function lessonTagProblems(
  file: string,
  quiz: QuizFile,
  lessonIds: ReadonlySet<string> = new Set(allLessons().map((lesson) => lesson.id)),
): string[] {
  return quiz.questions.flatMap((question, index) => {
    if (!question.lesson) return [];
    const where = `${file}: question ${index + 1} (${question.id}) field lesson`;
    if (!lessonIds.has(question.lesson)) return [`${where}: no lesson "${question.lesson}" in course/`];
    if (quiz.module !== "final" && !question.lesson.startsWith(`m${quiz.module}/`))
      return [`${where}: "${question.lesson}" is not a lesson of module ${quiz.module}`];
    return [];
  });
}

// Lesson completion per learner.
import { allLessons } from "../course/catalog.ts";
import type { Db } from "../db/client.ts";
import { HttpError } from "../http/errors.ts";

export async function markLessonComplete(db: Db, userId: string, lessonId: string): Promise<void> {
  if (!allLessons().some((lesson) => lesson.id === lessonId))
    throw new HttpError(404, "UNKNOWN_LESSON", "There is no such lesson.");
  await db.lessonProgress.upsert({
    where: { userId_lessonId: { userId, lessonId } },
    create: { userId, lessonId },
    update: {},
  });
}

export async function completedLessonIds(db: Db, userId: string): Promise<Set<string>> {
  const rows = await db.lessonProgress.findMany({ where: { userId }, select: { lessonId: true } });
  return new Set(rows.map((row) => row.lessonId));
}

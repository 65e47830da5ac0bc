// What an instructor sees first: every learner and how far they are.
import { allLessons } from "../course/catalog.ts";
import type { Db } from "../db/client.ts";

export interface LearnerProgressRow {
  id: string;
  name: string | null;
  email: string;
  lessonsCompleted: number;
  lastActivity: Date | null;
}

export async function learnerProgressOverview(
  db: Db,
): Promise<{ lessonsTotal: number; rows: LearnerProgressRow[] }> {
  const known = new Set(allLessons().map((lesson) => lesson.id));
  const learners = await db.user.findMany({
    where: { role: "learner" },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      email: true,
      lessonProgress: { select: { lessonId: true, completedAt: true } },
    },
  });
  const rows = learners.map((learner) => {
    const completed = learner.lessonProgress.filter((row) => known.has(row.lessonId));
    const last = completed.reduce<Date | null>(
      (latest, row) => (!latest || row.completedAt > latest ? row.completedAt : latest),
      null,
    );
    return {
      id: learner.id,
      name: learner.name,
      email: learner.email,
      lessonsCompleted: completed.length,
      lastActivity: last,
    };
  });
  return { lessonsTotal: known.size, rows };
}

import "server-only";
// One learner as an instructor sees them: lessons done, quiz attempts, submissions (without code).
import { allLessons } from "../course/catalog.ts";
import type { Db } from "../db/client.ts";
import { quizById } from "../quizzes/attempts.ts";

export async function learnerDetail(db: Db, userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      createdAt: true,
      certificate: { select: { id: true, issuedAt: true, revokedAt: true, revokedReason: true } },
      lessonProgress: { select: { lessonId: true, completedAt: true }, orderBy: { completedAt: "asc" } },
      quizAttempts: {
        select: {
          id: true,
          quizId: true,
          status: true,
          score: true,
          maxScore: true,
          passed: true,
          startedAt: true,
          submittedAt: true,
        },
        orderBy: { startedAt: "desc" },
      },
      submissions: {
        select: {
          id: true,
          labId: true,
          lang: true,
          kind: true,
          status: true,
          verdict: true,
          score: true,
          maxScore: true,
          createdAt: true,
          finishedAt: true,
          regradeOfId: true,
        },
        orderBy: { createdAt: "desc" },
      },
    },
  });
  if (!user) return null;
  const lessons = new Map(allLessons().map((lesson) => [lesson.id, lesson]));
  return {
    ...user,
    lessonsTotal: lessons.size,
    lessonProgress: user.lessonProgress.map((row) => ({
      ...row,
      title: lessons.get(row.lessonId)?.title ?? `${row.lessonId} (no longer in the course)`,
    })),
    quizAttempts: user.quizAttempts.map((row) => ({
      ...row,
      title: quizById(row.quizId)?.title ?? row.quizId,
    })),
  };
}

export type LearnerDetail = NonNullable<Awaited<ReturnType<typeof learnerDetail>>>;

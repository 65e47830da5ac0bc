// Has this learner earned the certificate? Decided on the server from stored results only: passed,
// graded lab submissions and passed quiz attempts.
import type { Db } from "../db/client.ts";
import { quizById } from "../quizzes/attempts.ts";
import { courseMeta } from "./course-meta.ts";

export interface Requirement {
  kind: "lab" | "quiz";
  id: string;
  title: string;
  met: boolean;
  href: string;
}

export async function requirementChecklist(db: Db, userId: string): Promise<Requirement[]> {
  const { requiredLabs, requiredQuizzes } = courseMeta().certificate;
  const [passedLabs, passedQuizzes] = await Promise.all([
    db.submission.findMany({
      where: { userId, kind: "submit", status: "done", verdict: "passed", labId: { in: requiredLabs } },
      select: { labId: true },
      distinct: ["labId"],
    }),
    db.quizAttempt.findMany({
      where: { userId, status: "submitted", passed: true, quizId: { in: requiredQuizzes } },
      select: { quizId: true },
      distinct: ["quizId"],
    }),
  ]);
  const labsDone = new Set(passedLabs.map((row) => row.labId));
  const quizzesDone = new Set(passedQuizzes.map((row) => row.quizId));
  return [
    ...requiredLabs.map((id) => ({
      kind: "lab" as const,
      id,
      title: `Lab: ${id}`,
      met: labsDone.has(id),
      href: `/labs/${id}`,
    })),
    ...requiredQuizzes.map((id) => ({
      kind: "quiz" as const,
      id,
      title: quizById(id)?.title ?? id,
      met: quizzesDone.has(id),
      href: `/quizzes/${id}`,
    })),
  ];
}

export async function isComplete(db: Db, userId: string): Promise<boolean> {
  return (await requirementChecklist(db, userId)).every((requirement) => requirement.met);
}

import type { Metadata } from "next";
import Link from "next/link";
import { currentUser } from "@/lib/auth/session.ts";
import { allLessons, courseModules } from "@/lib/course/catalog.ts";
import { db } from "@/lib/db/client.ts";
import { listLabs } from "@/lib/labs/catalog.ts";
import { completedLessonIds } from "@/lib/progress/lessons.ts";
import { type QuizStatus, quizById, quizStatuses } from "@/lib/quizzes/attempts.ts";
import { type LabStatus, labStatuses } from "@/lib/submissions/queries.ts";
import { LabStatusBadge } from "../labs/lab-status-badge.tsx";

export const metadata: Metadata = { title: "Course outline" };

function quizLabel(status: QuizStatus | undefined): string {
  if (!status) return "not attempted";
  return status.passed ? "passed" : `not passed (best ${status.bestScore}/${status.maxScore})`;
}

function quizTopic(seedLine: string): string {
  return seedLine.replace(/^(Final )?Quiz: /, "");
}

export default async function Outline() {
  const user = await currentUser();
  const [done, quizzes, labs] = user
    ? await Promise.all([
        completedLessonIds(db(), user.id),
        quizStatuses(db(), user.id),
        labStatuses(db(), user.id),
      ])
    : [new Set<string>(), new Map(), new Map<string, LabStatus>()];
  const openLabs = new Set((await listLabs()).map((lab) => lab.id));
  const lessons = allLessons();
  const completed = lessons.filter((lesson) => done.has(lesson.id)).length;
  return (
    <section className="narrow">
      <h1>Course outline</h1>
      {user ? (
        <p data-testid="course-progress">
          <progress value={completed} max={lessons.length} /> {completed} of {lessons.length} lessons complete
        </p>
      ) : (
        <p className="muted">
          <Link href="/signin?callbackUrl=/course">Sign in</Link> to track your progress.
        </p>
      )}
      {courseModules().map((module) => (
        <article key={module.slug} className="module-card">
          <h2>
            <Link href={`/course/${module.slug}`}>
              Module {module.number}: {module.title}
            </Link>
          </h2>
          <p className="muted">{module.summary}</p>
          <ol className="lesson-list">
            {module.lessons.map((lesson) => (
              <li key={lesson.id} data-lesson={lesson.id} data-complete={done.has(lesson.id) ? "yes" : "no"}>
                <Link href={`/course/${module.slug}/${lesson.slug}`}>{lesson.title}</Link>{" "}
                <span className="muted">{lesson.minutes} min</span>
                {done.has(lesson.id) ? <span className="badge done">complete</span> : null}
              </li>
            ))}
          </ol>
          <p className="module-extras">
            {[
              ...(module.moduleQuiz ? [{ id: module.moduleQuiz.id, label: module.moduleQuiz.title }] : []),
              { id: module.quiz.id, label: `Quiz: ${quizTopic(module.quiz.seed)}` },
            ].map((quiz, i) => (
              <span key={quiz.id} data-quiz={quiz.id} data-quiz-status={quizLabel(quizzes.get(quiz.id))}>
                {i ? " · " : ""}
                {quizById(quiz.id) ? <Link href={`/quizzes/${quiz.id}`}>{quiz.label}</Link> : quiz.label}
                {quizzes.get(quiz.id) ? (
                  <span className="badge">{quizLabel(quizzes.get(quiz.id))}</span>
                ) : null}
              </span>
            ))}
            {module.labs.length ? ` · Lab${module.labs.length > 1 ? "s" : ""}: ` : ""}
            {module.labs.map((lab, i) => (
              <span key={lab} data-lab={lab} data-lab-status={labs.get(lab) ?? "not-started"}>
                {i ? ", " : ""}
                {openLabs.has(lab) ? <Link href={`/labs/${lab}`}>{lab}</Link> : `${lab} (coming)`}
                {user && openLabs.has(lab) ? (
                  <LabStatusBadge status={labs.get(lab) ?? "not-started"} />
                ) : null}
              </span>
            ))}
          </p>
        </article>
      ))}
    </section>
  );
}

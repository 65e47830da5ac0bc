import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentUser } from "@/lib/auth/session.ts";
import { findModule } from "@/lib/course/catalog.ts";
import { db } from "@/lib/db/client.ts";
import { completedLessonIds } from "@/lib/progress/lessons.ts";

type Params = { params: Promise<{ module: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const module = findModule((await params).module);
  return { title: module ? `Module ${module.number}: ${module.title}` : "Not found" };
}

export default async function ModulePage({ params }: Params) {
  const module = findModule((await params).module);
  if (!module) notFound();
  const user = await currentUser();
  const done = user ? await completedLessonIds(db(), user.id) : new Set<string>();
  return (
    <section className="narrow">
      <p className="crumbs">
        <Link href="/course">Course</Link> / Module {module.number}
      </p>
      <h1>{module.title}</h1>
      <p className="lead">{module.summary}</p>
      <ol className="lesson-list">
        {module.lessons.map((lesson) => (
          <li key={lesson.id} data-complete={done.has(lesson.id) ? "yes" : "no"}>
            <Link href={`/course/${module.slug}/${lesson.slug}`}>{lesson.title}</Link>
            <p className="muted">{lesson.summary}</p>
          </li>
        ))}
      </ol>
      <h2>Quiz</h2>
      {module.moduleQuiz ? (
        <p>
          <Link href={`/quizzes/${module.moduleQuiz.id}`}>{module.moduleQuiz.title}</Link>
        </p>
      ) : null}
      <p>
        <Link href={`/quizzes/${module.quiz.id}`}>{module.quiz.seed}</Link>
      </p>
      {module.labs.length ? (
        <>
          <h2>Lab{module.labs.length > 1 ? "s" : ""}</h2>
          <ul>
            {module.labs.map((lab) => (
              <li key={lab}>
                <code>{lab}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

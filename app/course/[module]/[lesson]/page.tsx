import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentUser } from "@/lib/auth/session.ts";
import { findLesson, findModule, neighbours } from "@/lib/course/catalog.ts";
import { renderMarkdown } from "@/lib/course/render.ts";
import { db } from "@/lib/db/client.ts";
import { completedLessonIds } from "@/lib/progress/lessons.ts";
import { markCompleteAction } from "./actions.ts";

type Params = { params: Promise<{ module: string; lesson: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { module, lesson } = await params;
  return { title: findLesson(module, lesson)?.title ?? "Not found" };
}

function lessonHref(lesson: { moduleNumber: number; slug: string }): string {
  return `/course/m${lesson.moduleNumber}/${lesson.slug}`;
}

export default async function LessonPage({ params }: Params) {
  const { module: moduleSlug, lesson: lessonSlug } = await params;
  const module = findModule(moduleSlug);
  const lesson = findLesson(moduleSlug, lessonSlug);
  if (!module || !lesson) notFound();
  const [html, user] = await Promise.all([renderMarkdown(lesson.id, lesson.markdown), currentUser()]);
  const complete = user ? (await completedLessonIds(db(), user.id)).has(lesson.id) : false;
  const { previous, next } = neighbours(lesson.id);
  return (
    <article className="lesson">
      <p className="crumbs">
        <Link href="/course">Course</Link> /{" "}
        <Link href={`/course/${module.slug}`}>Module {module.number}</Link>
      </p>
      <h1>{lesson.title}</h1>
      <p className="muted">
        {lesson.minutes} min{lesson.lab ? " · practised in lab " : ""}
        {lesson.lab ? <code>{lesson.lab}</code> : null}
      </p>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: HTML rendered on the server from our own course/ files */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      <footer className="lesson-footer">
        {user ? (
          complete ? (
            <p data-testid="lesson-status">
              <span className="badge done">complete</span>
            </p>
          ) : (
            <form action={markCompleteAction}>
              <input type="hidden" name="lessonId" value={lesson.id} />
              <button type="submit" className="button">
                Mark complete
              </button>
            </form>
          )
        ) : (
          <p className="muted">
            <Link href={`/signin?callbackUrl=${encodeURIComponent(lessonHref(lesson))}`}>Sign in</Link> to
            track progress.
          </p>
        )}
        <nav className="prev-next" aria-label="Lesson navigation">
          {previous ? <Link href={lessonHref(previous)}>← {previous.title}</Link> : <span />}
          {next ? <Link href={lessonHref(next)}>{next.title} →</Link> : <span />}
        </nav>
      </footer>
    </article>
  );
}

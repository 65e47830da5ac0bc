import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { courseModules, findLesson, findModule, neighbours } from "@/lib/course/catalog.ts";
import { renderMarkdown } from "@/lib/course/render.ts";
import { LessonProgress } from "./lesson-progress.tsx";

type Params = { params: Promise<{ module: string; lesson: string }> };

// Lessons are the same for everyone, so every one is prerendered at build time and served as a file;
// what depends on the person (header, progress) is filled in by the browser. Any other address is the
// not-found page; a lesson added to course/ appears with the next build.
export const dynamicParams = false;

export function generateStaticParams(): Array<{ module: string; lesson: string }> {
  return courseModules().flatMap((module) =>
    module.lessons.map((lesson) => ({ module: module.slug, lesson: lesson.slug })),
  );
}

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
  const html = await renderMarkdown(lesson.id, lesson.markdown);
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
        <LessonProgress
          lessonId={lesson.id}
          signInHref={`/signin?callbackUrl=${encodeURIComponent(lessonHref(lesson))}`}
        />
        <nav className="prev-next" aria-label="Lesson navigation">
          {previous ? <Link href={lessonHref(previous)}>← {previous.title}</Link> : <span />}
          {next ? <Link href={lessonHref(next)}>{next.title} →</Link> : <span />}
        </nav>
      </footer>
    </article>
  );
}

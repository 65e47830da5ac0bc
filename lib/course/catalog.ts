// The course as files: course/<NN-module>/module.yaml and one Markdown file per lesson with front

// matter. Loaded once per process and validated with zod; a broken file fails loudly with its path.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import matter from "gray-matter";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { projectPath } from "../paths.ts";

export const COURSE_DIR = projectPath("course");

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

const moduleSchema = z.strictObject({
  number: z.number().int().min(1).max(8),
  slug: z.string().regex(/^m[1-8]$/),
  title: z.string().min(3),
  summary: z.string().min(10),
  lessons: z.array(slug).min(1),
  quiz: z.strictObject({ id: slug, seed: z.string() }),
  /**
   * A module quiz that is not a seed syllabus line: module 8's seed quiz is the final quiz, so the
   * module's own topics get a quiz of their own here.
   */
  moduleQuiz: z.strictObject({ id: slug, title: z.string() }).optional(),
  labs: z.array(slug),
});

const lessonFrontMatterSchema = z.strictObject({
  title: z.string().min(3),
  slug,
  order: z.number().int().min(1),
  minutes: z.number().int().min(1).max(240),
  seed: z.string().min(3),
  lab: slug.optional(),
  summary: z.string().min(10),
});

export interface Lesson extends z.infer<typeof lessonFrontMatterSchema> {
  /** "m3/json-schema-inputs": the stable id used by progress, checks and quizzes. */
  id: string;
  moduleNumber: number;
  markdown: string;
  file: string;
}

export interface CourseModule extends Omit<z.infer<typeof moduleSchema>, "lessons"> {
  /** Lessons written so far, in syllabus order. */
  lessons: Lesson[];
  /** Every lesson slug the syllabus promises (module.yaml), written or not. */
  plannedLessons: string[];
}

function loadModule(dir: string): CourseModule {
  const metaFile = join(dir, "module.yaml");
  const meta = moduleSchema.safeParse(parseYaml(readFileSync(metaFile, "utf8")));
  if (!meta.success)
    throw new Error(
      `${metaFile}: ${meta.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const lessons: Lesson[] = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith(".md"))
    .sort()) {
    const file = join(dir, name);
    const { data, content } = matter(readFileSync(file, "utf8"));
    const front = lessonFrontMatterSchema.safeParse(data);
    if (!front.success)
      throw new Error(
        `${file}: ${front.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    if (!meta.data.lessons.includes(front.data.slug))
      throw new Error(`${file}: slug "${front.data.slug}" is not listed in ${metaFile}`);
    lessons.push({
      ...front.data,
      id: `${meta.data.slug}/${front.data.slug}`,
      moduleNumber: meta.data.number,
      markdown: content,
      file,
    });
  }
  lessons.sort((a, b) => meta.data.lessons.indexOf(a.slug) - meta.data.lessons.indexOf(b.slug));
  return { ...meta.data, lessons, plannedLessons: meta.data.lessons };
}

let cached: CourseModule[] | undefined;

/** The modules in order, each with its written lessons. */
export function courseModules(): CourseModule[] {
  cached ??= readdirSync(COURSE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => loadModule(join(COURSE_DIR, name)));
  return cached;
}

export function findModule(moduleSlug: string): CourseModule | undefined {
  return courseModules().find((module) => module.slug === moduleSlug);
}

export function findLesson(moduleSlug: string, lessonSlug: string): Lesson | undefined {
  return findModule(moduleSlug)?.lessons.find((lesson) => lesson.slug === lessonSlug);
}

/** Every written lesson in course order (for prev/next). */
export function allLessons(): Lesson[] {
  return courseModules().flatMap((module) => module.lessons);
}

export function neighbours(lessonId: string): { previous?: Lesson; next?: Lesson } {
  const lessons = allLessons();
  const index = lessons.findIndex((lesson) => lesson.id === lessonId);
  return { previous: lessons[index - 1], next: lessons[index + 1] };
}

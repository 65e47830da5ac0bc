import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { projectPath } from "../paths.ts";

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

const courseMetaSchema = z.strictObject({
  id: slug,
  title: z.string(),
  achievement: z.strictObject({ name: z.string(), description: z.string(), criteria: z.string() }),
  certificate: z.strictObject({ requiredLabs: z.array(slug), requiredQuizzes: z.array(slug).min(1) }),
});

export type CourseMeta = z.infer<typeof courseMetaSchema>;

let cached: CourseMeta | undefined;

/** course/course.yaml: the course's identity and its certificate requirements. */
export function courseMeta(): CourseMeta {
  cached ??= courseMetaSchema.parse(parseYaml(readFileSync(projectPath("course/course.yaml"), "utf8")));
  return cached;
}

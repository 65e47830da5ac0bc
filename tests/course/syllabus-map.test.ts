import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { courseModules } from "../../lib/course/catalog.ts";
import { seedSyllabusLines, syllabusMap } from "../../lib/course/syllabus.ts";
import { projectPath } from "../../lib/paths.ts";

describe("the course covers the syllabus as sold", () => {
  const map = syllabusMap();

  it("maps every seed syllabus line, in the seed's order", () => {
    expect(map.unmapped).toEqual([]);
    expect(map.entries.map((entry) => entry.seedLine.replace(/\u2019/g, "'"))).toEqual(
      seedSyllabusLines().map((line) => line.replace(/\u2019/g, "'")),
    );
  });

  it("has a lesson or quiz file for every line", () => {
    expect(map.entries.filter((entry) => entry.file === null).map((entry) => entry.seedLine)).toEqual([]);
  });

  it("every quiz a module names (seed quiz and module quiz) has its file", () => {
    const named = courseModules().flatMap((module) => [
      module.quiz.id,
      ...(module.moduleQuiz ? [module.moduleQuiz.id] : []),
    ]);
    expect(named.filter((id) => !existsSync(projectPath("quizzes", `${id}.yaml`)))).toEqual([]);
  });

  it("has eight modules, each ending in its quiz", () => {
    expect(courseModules().map((module) => module.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("docs/syllabus-map.md is current (regenerate with npx tsx scripts/syllabus-map.ts)", () => {
    expect(readFileSync(projectPath("docs/syllabus-map.md"), "utf8")).toBe(map.markdown);
  });
});

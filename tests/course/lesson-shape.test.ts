// The lesson checklist of the course brief, enforced: substance (prose length), the spec's own words with
// the section as source, and a "Try it" that points at a lab that exists. Code examples are covered by
// code-blocks.test.ts and runnable-examples.test.ts.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allLessons } from "../../lib/course/catalog.ts";
import { projectPath } from "../../lib/paths.ts";

const FENCED = /^ {0,3}```[\s\S]*?^ {0,3}```\s*$/gm;
const SPEC_LINK = /\]\(https:\/\/modelcontextprotocol\.io\/specification\/(2025-11-25|2026-07-28)\/[^)]*\)/;
const SPEC_KEYWORD = /\*\*(MUST|MUST NOT|SHOULD|SHOULD NOT|REQUIRED|SHALL|SHALL NOT)\*\*/;

function proseWords(markdown: string): number {
  return markdown.replace(FENCED, " ").split(/\s+/).filter(Boolean).length;
}

describe("every lesson has the shape the course promises", () => {
  const lessons = allLessons();

  it.each(lessons.map((lesson) => [lesson.id, lesson] as const))("%s", (_id, lesson) => {
    const words = proseWords(lesson.markdown);
    expect(words, "prose words outside code").toBeGreaterThanOrEqual(800);
    expect(words, "prose words outside code").toBeLessThanOrEqual(2000);
    expect(lesson.markdown, "quotes a MUST/SHOULD in bold").toMatch(SPEC_KEYWORD);
    expect(lesson.markdown, "links a section of the 2025-11-25 or 2026-07-28 spec").toMatch(SPEC_LINK);
    const tryIt = lesson.markdown.split(/^## Try it\s*$/m)[1];
    expect(tryIt, 'has a "## Try it" section').toBeDefined();
    const labs = [...(tryIt ?? "").matchAll(/\]\(\/labs\/([a-z0-9-]+)\)/g)].map((match) => match[1]);
    expect(labs.length, "Try it links a lab").toBeGreaterThan(0);
    expect(labs.filter((lab) => !existsSync(projectPath("labs", lab, "lab.yaml")))).toEqual([]);
    expect(lesson.lab, "front matter names the lab").toBeDefined();
    expect(existsSync(projectPath("labs", lesson.lab ?? "-", "lab.yaml"))).toBe(true);
  });
});

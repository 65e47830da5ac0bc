// Every built-in check points at a spec section that exists in the revision it names, and at a
// lesson the course has: a learner following a link must land somewhere real.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { builtInChecks } from "../../conformance/check-catalog.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const SPEC = "/work/ref/modelcontextprotocol/docs/specification";

/** Mintlify-style heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function anchors(file: string): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^#{1,6}\s+(.+?)\s*$/);
    if (!m) continue;
    out.add(
      m[1]
        .toLowerCase()
        .replace(/`/g, "")
        .replace(/[^a-z0-9 _-]/g, "")
        .trim()
        .replace(/\s+/g, "-"),
    );
  }
  return out;
}

function courseLessons(): Set<string> {
  const out = new Set<string>();
  const root = path.join(REPO, "course");
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const meta = parseYaml(readFileSync(path.join(root, dir.name, "module.yaml"), "utf8")) as {
      slug: string;
      lessons: string[];
    };
    for (const lesson of meta.lessons) out.add(`${meta.slug}/${lesson}`);
  }
  return out;
}

describe("built-in checks", () => {
  it("have unique kebab-case ids", () => {
    const ids = builtInChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("name spec sections that exist", () => {
    for (const check of builtInChecks) {
      expect(check.specRef, check.id).toBeDefined();
      const [page, anchor] = (check.specRef as string).split("#");
      const file = path.join(SPEC, `${page}.mdx`);
      const found = anchors(file);
      expect(found.has(anchor), `${check.id}: #${anchor} not in ${page} (has ${[...found].join(", ")})`).toBe(
        true,
      );
    }
  });

  it("name lessons the course has", () => {
    const lessons = courseLessons();
    for (const check of builtInChecks)
      expect(lessons.has(check.lesson), `${check.id}: ${check.lesson}`).toBe(true);
  });

  it("only require checks that exist and run before them", () => {
    const order = builtInChecks.map((c) => c.id);
    for (const check of builtInChecks) {
      for (const req of check.requires ?? []) {
        expect(order.indexOf(req), `${check.id} requires ${req}`).toBeGreaterThanOrEqual(0);
        expect(order.indexOf(req), `${check.id} requires ${req}`).toBeLessThan(order.indexOf(check.id));
      }
    }
  });
});

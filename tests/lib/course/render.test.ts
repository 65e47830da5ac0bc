import { describe, expect, it } from "vitest";
import { allLessons } from "../../../lib/course/catalog.ts";
import { renderMarkdown } from "../../../lib/course/render.ts";

/** The text a browser shows for an HTML fragment (tags dropped, <style> ignored, entities decoded). */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

const CODE = [
  "import sys",
  "",
  "def greet(name: str) -> str:",
  '    """Say hello on stderr."""',
  '    print(f"hello {name}", file=sys.stderr)',
  "    return name  # <b>not a tag</b> & more",
].join("\n");

describe("lesson Markdown rendering", () => {
  it("highlights code with short classes and keeps the code's text exactly", async () => {
    const html = await renderMarkdown("test:python", `Intro.\n\n\`\`\`python\n${CODE}\n\`\`\`\n`);
    const pre = /<pre[^>]*>[\s\S]*<\/pre>/.exec(html)?.[0] ?? "";
    expect(visibleText(pre)).toBe(CODE);
    // No inline styles and no per-line wrappers; the block's own colours are set once, on <pre>.
    expect(pre).not.toContain("style=");
    expect(pre).not.toMatch(/class="?line\b/);
    const preTag = /<pre[^>]*>/.exec(pre)?.[0] ?? "";
    expect(preTag.match(/ class=/g)).toHaveLength(1);
    expect(preTag).toMatch(/\bk[\w]{4}\b/);
    // Every class used is defined for light and dark in the one <style> block.
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const [light, dark] = css.split("@media (prefers-color-scheme:dark)");
    for (const name of new Set([...pre.matchAll(/\b(k\w{4})\b/g)].map((m) => m[1]))) {
      expect(light).toContain(`.${name}{`);
      expect(dark).toContain(`.${name}{`);
    }
  });

  it("drops spans whose colour is the block's own: far fewer tags than tokens", async () => {
    const html = await renderMarkdown("test:plain", "```python\nalpha = beta\ngamma = delta\n```\n");
    const pre = /<pre[^>]*>[\s\S]*<\/pre>/.exec(html)?.[0] ?? "";
    // Identifiers in the default colour are bare text; only the operators keep a coloured span.
    expect(pre).toContain("alpha <span");
    expect(pre.match(/<span/g)).toHaveLength(2);
  });

  it("renders every lesson, each highlight class standing for one style", async () => {
    const styles = new Map<string, string>();
    for (const lesson of allLessons()) {
      const html = await renderMarkdown(lesson.id, lesson.markdown);
      const css = /<style>([\s\S]*?)@media/.exec(html)?.[1] ?? "";
      for (const [, name, rule] of css.matchAll(/\.(k\w{4})\{([^}]*)\}/g)) {
        expect(styles.get(name) ?? rule, `${lesson.id}: .${name}`).toBe(rule);
        styles.set(name, rule);
      }
    }
    expect(styles.size).toBeGreaterThan(3);
  });
});

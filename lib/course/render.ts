// Markdown -> HTML on the server, with syntax highlighting done here (Shiki), so lesson pages ship no
// highlighting JavaScript. Results are cached per lesson for the life of the process.
import rehypeShiki, { type RehypeShikiOptions } from "@shikijs/rehype";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { rehypeStylesToClasses } from "./highlight-classes.ts";

const shikiOptions: RehypeShikiOptions = {
  themes: { light: "github-light", dark: "github-dark" },
  defaultColor: "light",
  langs: [
    "python",
    "typescript",
    "ts",
    "bash",
    "sh",
    "json",
    "jsonc",
    "yaml",
    "toml",
    "http",
    "dockerfile",
    "diff",
    "sql",
    "nginx",
    "ini",
  ],
  fallbackLanguage: "text" as const,
  addLanguageClass: true,
};

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeShiki, shikiOptions)
  .use(rehypeStylesToClasses)
  // Unquoted attribute values where HTML allows them: every quote is repeated, escaped, in the RSC payload.
  .use(rehypeStringify, { preferUnquoted: true });

const cache = new Map<string, Promise<string>>();

export function renderMarkdown(key: string, markdown: string): Promise<string> {
  let html = cache.get(key);
  if (!html) {
    html = processor.process(markdown).then((file) => String(file));
    cache.set(key, html);
  }
  return html;
}

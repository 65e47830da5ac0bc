// Shiki writes every token's colours as an inline style (light colour plus a --shiki-dark variable)
// inside a <span class="line"> per line. This rehype step makes that markup small:
// - each distinct style becomes a short class derived from its hash, with one <style> block holding
//   the light and dark rules (so dark mode needs no !important);
// - a token in the code block's own colours loses its <span> (it inherits them from <pre>), and so do
//   the per-line wrappers (nothing styles them).
// Size matters twice: the page's RSC payload repeats the lesson HTML with every < and > written as
// \u003c and \u003e, and every byte of both is compressed on each request.
import { createHash } from "node:crypto";
import type { Element, ElementContent, Root, RootContent } from "hast";

const DARK_PREFIX = "--shiki-dark";

/** Class names handed out in this process, so two styles can never share one. */
const issued = new Map<string, string>();

function className(style: string): string {
  const name = `k${createHash("sha1").update(style).digest("base64url").slice(0, 4).replace(/[-_]/g, "x")}`;
  const owner = issued.get(name);
  if (owner === undefined) issued.set(name, style);
  else if (owner !== style)
    throw new Error(`highlight class ${name} would stand for both "${owner}" and "${style}"`);
  return name;
}

/** "color:#24292E;--shiki-dark:#E1E4E8" -> light and dark declarations. */
function splitStyle(style: string): { light: string[]; dark: string[] } {
  const light: string[] = [];
  const dark: string[] = [];
  for (const declaration of style
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [property, ...rest] = declaration.split(":");
    const value = rest.join(":").trim();
    if (property.startsWith(DARK_PREFIX)) {
      const suffix = property.slice(DARK_PREFIX.length); // "", "-bg", "-font-style", ...
      const target = suffix === "" ? "color" : suffix === "-bg" ? "background-color" : suffix.slice(1);
      dark.push(`${target}:${value}`);
    } else light.push(`${property.trim()}:${value}`);
  }
  return { light, dark };
}

/** The text colours of a style, light and dark, e.g. "#24292e/#e1e4e8"; null if it sets anything else. */
function coloursOnly(style: string): string | null {
  const { light, dark } = splitStyle(style);
  const colour = (declarations: string[]) =>
    declarations.length === 1 && declarations[0].startsWith("color:") ? declarations[0].slice(6) : null;
  const pair = [colour(light), colour(dark)];
  return pair.every((value) => value !== null) ? pair.join("/").toLowerCase() : null;
}

/** A style's text colours among other declarations (the <pre>'s also sets its background). */
function textColours(style: string): string {
  const { light, dark } = splitStyle(style);
  const colour = (declarations: string[]) =>
    declarations.find((declaration) => declaration.startsWith("color:"))?.slice(6) ?? "";
  return `${colour(light)}/${colour(dark)}`.toLowerCase();
}

/** Shiki puts classes under `class`, hast under `className`: both, as one list. */
function classList(element: Element): string[] {
  const { class: plain, className: hast } = element.properties;
  return [plain, hast].flatMap((value) =>
    Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(/\s+/) : [],
  );
}

function styleToClass(element: Element, styles: Map<string, string>): void {
  const style = element.properties.style;
  if (typeof style !== "string" || style.length === 0) return;
  const name = className(style);
  styles.set(name, style);
  element.properties.className = [...classList(element).filter(Boolean), name];
  delete element.properties.class;
  delete element.properties.style;
}

/** Children of a code block with the per-line wrappers and default-coloured token spans unwrapped. */
function compactCode(children: ElementContent[], blockColours: string): ElementContent[] {
  return children.flatMap((child): ElementContent[] => {
    if (child.type !== "element" || child.tagName !== "span") return [child];
    const style = child.properties.style;
    const isLine = classList(child).join(" ") === "line" && style === undefined;
    const isPlainToken =
      typeof style === "string" && classList(child).length === 0 && coloursOnly(style) === blockColours;
    return isLine || isPlainToken ? compactCode(child.children, blockColours) : [child];
  });
}

function visit(node: Root | RootContent, styles: Map<string, string>, blockColours: string | null): void {
  if (node.type !== "element" && node.type !== "root") return;
  let colours = blockColours;
  if (node.type === "element") {
    if (node.tagName === "pre" && typeof node.properties.style === "string")
      colours = textColours(node.properties.style);
    if (node.tagName === "code" && colours !== null) node.children = compactCode(node.children, colours);
    styleToClass(node, styles);
  }
  for (const child of node.children) visit(child, styles, colours);
}

export function rehypeStylesToClasses() {
  return (tree: Root) => {
    const styles = new Map<string, string>();
    visit(tree, styles, null);
    if (styles.size === 0) return;
    const light: string[] = [];
    const dark: string[] = [];
    for (const [name, style] of styles) {
      const split = splitStyle(style);
      if (split.light.length) light.push(`.${name}{${split.light.join(";")}}`);
      if (split.dark.length) dark.push(`.${name}{${split.dark.join(";")}}`);
    }
    const css = `${light.join("")}@media (prefers-color-scheme:dark){${dark.join("")}}`;
    tree.children.unshift({
      type: "element",
      tagName: "style",
      properties: {},
      children: [{ type: "text", value: css }],
    });
  };
}

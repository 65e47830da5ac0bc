// Shiki writes every token's colours as an inline style (light colour plus a --shiki-dark variable),
// which made up half of a lesson's HTML. This rehype step replaces each distinct style with a short
// class derived from its hash and adds one <style> block with the light and dark rules, so pages
// are smaller and dark mode needs no !important.
import { createHash } from "node:crypto";
import type { Element, Root, RootContent } from "hast";

const DARK_PREFIX = "--shiki-dark";

function className(style: string): string {
  return `k-${createHash("sha1").update(style).digest("base64url").slice(0, 7).replace(/[-_]/g, "x")}`;
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

function visit(node: Root | RootContent, styles: Map<string, string>): void {
  if (node.type === "element") {
    const element = node as Element;
    const style = element.properties?.style;
    if (typeof style === "string" && style.length > 0) {
      const name = className(style);
      styles.set(name, style);
      const existing = element.properties.className;
      element.properties.className = [
        ...(Array.isArray(existing) ? existing : existing ? [String(existing)] : []),
        name,
      ];
      delete element.properties.style;
    }
  }
  if ("children" in node) for (const child of node.children) visit(child, styles);
}

export function rehypeStylesToClasses() {
  return (tree: Root) => {
    const styles = new Map<string, string>();
    visit(tree, styles);
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

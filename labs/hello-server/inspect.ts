// Small readers for what a notes server sends back: which ids a result mentions. Lenient about
// shape (any JSON the learner chose), strict about content.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { textOf } from "../../conformance/check-api.ts";

type Json = unknown;

function collectStrings(value: Json, out: Set<string>): void {
  if (typeof value === "string") out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, out);
}

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether a tool result names `id`: as a string value anywhere in structuredContent or in JSON
 * text, or as a whole word in plain text ("note-1" does not match inside "note-10").
 */
export function mentionsId(result: CallToolResult, id: string): boolean {
  const strings = new Set<string>();
  collectStrings(result.structuredContent, strings);
  const text = textOf(result);
  for (const block of text.split("\n")) collectStrings(parseJson(block), strings);
  collectStrings(parseJson(text), strings);
  if (strings.has(id)) return true;
  return new RegExp(`(^|[^A-Za-z0-9_-])${escapeRegExp(id)}($|[^A-Za-z0-9_-])`).test(text);
}

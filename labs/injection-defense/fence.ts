// The lab's convention for untrusted text in a tool result (README "Untrusted content"):
//
//   structuredContent: { ..., "untrusted": true, "content": "<the text, verbatim>" }
//   a text block:      <optional one-line preface>
//                      -----BEGIN UNTRUSTED CONTENT <token>-----
//                      <the text, verbatim>
//                      -----END UNTRUSTED CONTENT <token>-----
//
// <token> is 16-64 letters and digits, fresh for every result and absent from the text, so a
// document cannot close the fence early and write outside it.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const BEGIN = /^-----BEGIN UNTRUSTED CONTENT ([A-Za-z0-9]{16,64})-----$/m;

export const fenceEnd = (token: string): string => `-----END UNTRUSTED CONTENT ${token}-----`;

export type FenceReading = { ok: true; token: string } | { ok: false; problem: string };

function textBlocks(result: CallToolResult): string[] {
  return (result.content ?? []).flatMap((block) =>
    block.type === "text" && typeof block.text === "string" ? [block.text] : [],
  );
}

/**
 * Reads the fence around `content` in `result`'s text blocks. `phrase` (the injected line) must
 * appear nowhere outside it.
 */
export function readFence(result: CallToolResult, content: string, phrase: string): FenceReading {
  const blocks = textBlocks(result);
  const index = blocks.findIndex((text) => BEGIN.test(text));
  if (index < 0) {
    const plain = blocks.some((text) => text.includes(phrase));
    return {
      ok: false,
      problem: plain
        ? "the text came back as plain text, with no fence around it: a model cannot tell it from your own words"
        : "no text block opens a fence (a line -----BEGIN UNTRUSTED CONTENT <token>-----)",
    };
  }
  const text = blocks[index];
  const begin = text.match(BEGIN) as RegExpMatchArray;
  const token = begin[1];
  const start = (begin.index ?? 0) + begin[0].length + 1;
  const end = text.indexOf(`\n${fenceEnd(token)}`, start - 1);
  if (end < 0) return { ok: false, problem: `the fence opened with token ${token} is never closed` };
  const inner = text.slice(start, end);
  if (inner !== content) {
    if (content.includes(fenceEnd(token))) {
      return {
        ok: false,
        problem: `the text itself contains your closing line "${fenceEnd(token)}", so it closed the fence early and everything after it reads as yours. Draw a fresh random token for every result and make sure the text does not contain it`,
      };
    }
    return { ok: false, problem: "what stands between the fence lines is not the text, byte for byte" };
  }
  if (content.includes(token))
    return { ok: false, problem: `the token ${token} occurs in the text it fences` };
  const outside = [
    ...blocks.filter((_, i) => i !== index),
    text.slice(0, begin.index ?? 0),
    text.slice(end + 1 + fenceEnd(token).length),
  ];
  if (outside.some((t) => t.includes(phrase))) {
    return {
      ok: false,
      problem:
        "the injected instructions also appear outside the fence (another text block, or around it): fence every copy, or send the text once",
    };
  }
  return { ok: true, token };
}

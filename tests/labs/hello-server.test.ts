// The hello-server lab, proven both ways through the real grader: the reference solutions pass
// every check, the starters fail with readable messages, and each broken fixture fails exactly
// the check it breaks (checks that depend on it are skipped), nothing else.
import path from "node:path";
import { describe, it } from "vitest";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, REPO_DIR } from "./grade-cli.ts";

const LAB = "hello-server";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_125);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, name);

const skipped = { status: "skipped" as const, message: /failed first/ };

const cases: Expectation[] = [
  { name: "solution (python)", dir: lab("solution/python"), lang: "python", status: "pass", checks: {} },
  {
    name: "solution (typescript)",
    dir: lab("solution/typescript"),
    lang: "typescript",
    status: "pass",
    checks: {},
  },
  ...(["python", "typescript"] as const).map(
    (lang): Expectation => ({
      name: `starter (${lang})`,
      dir: lab(`starter/${lang}`),
      lang,
      status: "fail",
      checks: {
        "stdout-only-jsonrpc": { status: "fail", message: /Notes server starting/ },
        "tools-listed": { status: "fail", message: /search_notes is not listed; delete_note is not listed/ },
        "add-note-returns-id": skipped,
        "search-finds-note": skipped,
        "search-respects-limit": skipped,
        "note-resource-template": skipped,
        "notes-index-resource": skipped,
        "delete-removes-note": skipped,
        "delete-note-annotations": { status: "fail", message: /delete_note is not listed/ },
        "prompt-summarize-notes": { status: "fail" },
        "tool-descriptions-say-when": skipped,
        "tools-list-descriptions": { status: "fail", message: /add_note/ },
        // mcp 2.3.0's MCPServer answers an unknown prompt with code 0 (a `should`; the solution fixes it).
        ...(lang === "python"
          ? { "prompts-get-unknown": { status: "fail" as const, message: /-32602/ } }
          : {}),
      },
    }),
  ),
  {
    name: "stdout-print",
    dir: fixture("hello-server-stdout-print"),
    lang: "typescript",
    status: "fail",
    checks: { "stdout-only-jsonrpc": { status: "fail", message: /notes server ready/ } },
  },
  {
    name: "delete-param-renamed",
    dir: fixture("hello-server-delete-param-renamed"),
    lang: "python",
    status: "fail",
    checks: {
      "tools-listed": { status: "fail", message: /delete_note: inputSchema does not declare "id"/ },
      "add-note-returns-id": skipped,
      "search-finds-note": skipped,
      "search-respects-limit": skipped,
      "note-resource-template": skipped,
      "notes-index-resource": skipped,
      "delete-removes-note": skipped,
      "tool-descriptions-say-when": skipped,
    },
  },
  {
    name: "add-returns-text",
    dir: fixture("hello-server-add-returns-text"),
    lang: "python",
    status: "fail",
    checks: {
      "add-note-returns-id": { status: "fail", message: /structuredContent is not the note: id/ },
      "search-finds-note": skipped,
      "search-respects-limit": skipped,
      "note-resource-template": skipped,
      "notes-index-resource": skipped,
      "delete-removes-note": skipped,
    },
  },
  {
    name: "search-ignores-query",
    dir: fixture("hello-server-search-ignores-query"),
    lang: "typescript",
    status: "fail",
    checks: {
      "search-finds-note": { status: "fail", message: /also returned note-/ },
      "search-respects-limit": skipped,
      "delete-removes-note": skipped,
    },
  },
  {
    name: "search-ignores-limit",
    dir: fixture("hello-server-search-ignores-limit"),
    lang: "python",
    status: "fail",
    checks: { "search-respects-limit": { status: "fail", message: /limit: 2\) returned 3 of the 3/ } },
  },
  {
    name: "template-text-plain",
    dir: fixture("hello-server-template-text-plain"),
    lang: "python",
    status: "fail",
    checks: { "note-resource-template": { status: "fail", message: /is not served as application\/json/ } },
  },
  {
    name: "no-index",
    dir: fixture("hello-server-no-index"),
    lang: "typescript",
    status: "fail",
    checks: { "notes-index-resource": { status: "fail", message: /does not offer notes:\/\/index/ } },
  },
  {
    name: "delete-noop",
    dir: fixture("hello-server-delete-noop"),
    lang: "typescript",
    status: "fail",
    checks: {
      "delete-removes-note": { status: "fail", message: /still finds note-\d+ after it was deleted/ },
    },
  },
  {
    name: "no-annotations",
    dir: fixture("hello-server-no-annotations"),
    lang: "python",
    status: "fail",
    checks: { "delete-note-annotations": { status: "fail", message: /does not say it is destructive/ } },
  },
  {
    name: "prompt-ignores-topic",
    dir: fixture("hello-server-prompt-ignores-topic"),
    lang: "typescript",
    status: "fail",
    checks: { "prompt-summarize-notes": { status: "fail", message: /does not contain the topic/ } },
  },
  {
    // A `should` failure is a warning: the lab still passes.
    name: "vague-descriptions",
    dir: fixture("hello-server-vague-descriptions"),
    lang: "python",
    status: "pass",
    checks: {
      "tool-descriptions-say-when": { status: "fail", message: /add_note, search_notes, delete_note/ },
    },
  },
];

describe(`lab ${LAB}`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    assertGraded(await grade(LAB, want.dir, want.lang, SEED), want);
  });
});

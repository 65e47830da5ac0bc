import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../../lib/paths.ts";

function check(files: string[]) {
  return spawnSync(
    projectPath("node_modules/.bin/tsx"),
    [projectPath("lib/quizzes/check-cli.ts"), ...files],
    { encoding: "utf8" },
  );
}

const option = (id: string, correct: boolean) => ({
  id,
  text: `option ${id}`,
  correct,
  explanation: `because ${id} is ${correct ? "right" : "wrong"}`,
});

type Question = {
  id: string;
  kind: "single";
  style: "concept";
  prompt: string;
  lesson?: string;
  options: Array<ReturnType<typeof option>>;
};

/** Twelve well-formed single-choice questions, each tagged with `lesson` when one is given. */
function twelveQuestions(lesson?: string): Question[] {
  return Array.from({ length: 12 }, (_, i) => ({
    id: `q-${i + 1}`,
    kind: "single",
    style: "concept",
    prompt: "Which transport suits a local IDE agent?",
    ...(lesson ? { lesson } : {}),
    options: [option("a", true), option("b", false)],
  }));
}

/** Writes a quiz file named after its id (JSON, which is YAML) in a fresh temp dir; returns its path. */
function writeQuiz(
  head: { id: string; title: string; module: number; description: string },
  questions: Question[],
): string {
  const file = join(mkdtempSync(join(tmpdir(), "quiz-")), `${head.id}.yaml`);
  writeFileSync(file, JSON.stringify({ ...head, questionsPerAttempt: 5, questions }));
  return file;
}

describe("npm run quizzes:check", () => {
  it("passes every quiz in quizzes/", () => {
    const result = check([]);
    const lines = result.stdout.trim().split("\n");
    expect(lines.filter((line) => !line.startsWith("ok "))).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("names the file, the question and the reason for a malformed quiz", () => {
    const questions = twelveQuestions();
    questions[4].options = [option("a", true), option("b", true)];
    const file = writeQuiz(
      { id: "m9-broken", title: "Broken", module: 1, description: "A broken quiz file." },
      questions,
    );
    const result = check([file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "m9-broken.yaml: question 5 (q-5) field options: a single-choice question needs exactly one correct option, found 2",
    );
  });

  it("names the question whose lesson tag is unknown or from another module", () => {
    const questions = twelveQuestions("m4/stdio-vs-streamable-http");
    questions[1].lesson = "m4/no-such-lesson";
    questions[2].lesson = "m1/anti-patterns";
    const file = writeQuiz(
      { id: "m4-tags", title: "Tags", module: 4, description: "Lesson tags." },
      questions,
    );
    const result = check([file]);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split("\n")).toEqual([
      'm4-tags.yaml: question 2 (q-2) field lesson: no lesson "m4/no-such-lesson" in course/',
      'm4-tags.yaml: question 3 (q-3) field lesson: "m1/anti-patterns" is not a lesson of module 4',
    ]);
  });

  it("reports YAML that does not parse", () => {
    const dir = mkdtempSync(join(tmpdir(), "quiz-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "id: [unclosed\n");
    const result = check([file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("bad.yaml: not valid YAML");
  });
});

// Every question names the lesson it tests; the final quiz's tags show it examines the whole course.
import { describe, expect, it } from "vitest";
import { lessonTagProblems } from "../../../lib/quizzes/lesson-tags.ts";
import { loadAllQuizzes } from "../../../lib/quizzes/load.ts";

const quizzes = [...loadAllQuizzes().values()];

describe("quiz lesson tags", () => {
  it.each(quizzes.map((quiz) => [quiz.id, quiz] as const))(
    "%s: every question names an existing lesson",
    (_id, quiz) => {
      expect(quiz.questions.filter((question) => !question.lesson).map((question) => question.id)).toEqual(
        [],
      );
      expect(lessonTagProblems(`${quiz.id}.yaml`, quiz)).toEqual([]);
    },
  );

  it("the final quiz tests lessons from all eight modules, not only module 8", () => {
    const final = quizzes.find((quiz) => quiz.module === "final");
    const modules = new Set(final?.questions.map((question) => question.lesson?.split("/")[0]));
    expect([...modules].sort()).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"]);
  });
});

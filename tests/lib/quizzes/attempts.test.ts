import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { courseModules } from "../../../lib/course/catalog.ts";
import {
  openAttempt,
  quizById,
  startAttempt,
  submitAttempt,
  submittedResult,
} from "../../../lib/quizzes/attempts.ts";
import { loadAllQuizzes } from "../../../lib/quizzes/load.ts";
import type { QuizFile } from "../../../lib/quizzes/schema.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";

const quizzes = [...loadAllQuizzes().values()];
const quiz: QuizFile = quizzes[0];

/** Every string that would give an answer away: explanations, and the JSON flag that marks keys. */
function secretsOf(file: QuizFile): string[] {
  return file.questions.flatMap((question) => question.options.map((option) => option.explanation));
}

function correctAnswers(file: QuizFile, questionIds: string[]): Record<string, string[]> {
  return Object.fromEntries(
    questionIds.map((id) => {
      const question = file.questions.find((q) => q.id === id)!;
      return [id, question.options.filter((option) => option.correct).map((option) => option.id)];
    }),
  );
}

describe("quiz attempts", () => {
  let t: TestDb;
  let learner: string;
  let other: string;
  beforeEach(async () => {
    t = await freshSqlite();
    learner = (await t.db.user.create({ data: { email: "l@example.com" } })).id;
    other = (await t.db.user.create({ data: { email: "o@example.com" } })).id;
  });
  afterEach(() => t.drop());

  it("draws questionsPerAttempt questions with shuffled options, reproducibly per seed, and resumes an open attempt", async () => {
    const first = await startAttempt(t.db, learner, quiz.id, 42);
    expect(first.questions).toHaveLength(quiz.questionsPerAttempt);
    expect(new Set(first.questions.map((q) => q.id)).size).toBe(quiz.questionsPerAttempt);
    const resumed = await startAttempt(t.db, learner, quiz.id, 7);
    expect(resumed.attemptId).toBe(first.attemptId);
    const sameSeed = await startAttempt(t.db, other, quiz.id, 42);
    expect(sameSeed.questions.map((q) => [q.id, q.options.map((o) => o.id)])).toEqual(
      first.questions.map((q) => [q.id, q.options.map((o) => o.id)]),
    );
    const otherSeed = await startAttempt(
      t.db,
      (await t.db.user.create({ data: { email: "x@example.com" } })).id,
      quiz.id,
      43,
    );
    expect(otherSeed.questions.map((q) => q.id)).not.toEqual(first.questions.map((q) => q.id));
  });

  it.each(quizzes.map((file) => [file.id, file]))(
    "%s: an open attempt reveals no key and no explanation",
    async (_, file) => {
      const attempt = await startAttempt(t.db, learner, file.id, 1);
      const serialized = JSON.stringify([
        attempt,
        await openAttempt(t.db, learner, file.id, attempt.attemptId),
      ]);
      expect(serialized).not.toContain('"correct"');
      expect(serialized).not.toContain('"explanation"');
      for (const secret of secretsOf(file)) expect(serialized).not.toContain(secret);
      await expect(submittedResult(t.db, learner, file.id, attempt.attemptId)).rejects.toMatchObject({
        status: 409,
      });
    },
  );

  it("grades once: a second submission with other answers changes nothing", async () => {
    const attempt = await startAttempt(t.db, learner, quiz.id, 3);
    const ids = attempt.questions.map((q) => q.id);
    const right = correctAnswers(quiz, ids);
    const graded = await submitAttempt(t.db, learner, quiz.id, attempt.attemptId, right);
    expect(graded.score).toBe(ids.length);
    expect(graded.passed).toBe(true);
    const wrong = Object.fromEntries(ids.map((id) => [id, []]));
    const again = await submitAttempt(t.db, learner, quiz.id, attempt.attemptId, wrong);
    expect(again.score).toBe(ids.length);
    expect(again.submittedAt).toEqual(graded.submittedAt);

    // A double click: two submissions of one attempt at the same moment, with different answers.
    const next = await startAttempt(t.db, learner, quiz.id, 9);
    const both = await Promise.all([
      submitAttempt(
        t.db,
        learner,
        quiz.id,
        next.attemptId,
        correctAnswers(
          quiz,
          next.questions.map((q) => q.id),
        ),
      ),
      submitAttempt(t.db, learner, quiz.id, next.attemptId, {}),
    ]);
    expect(both[0]).toEqual(both[1]);
    expect(await t.db.quizAttempt.count({ where: { userId: learner, status: "submitted" } })).toBe(2);
  });

  it("fails below the pass mark and explains every option afterwards", async () => {
    const attempt = await startAttempt(t.db, learner, quiz.id, 5);
    const result = await submitAttempt(t.db, learner, quiz.id, attempt.attemptId, {});
    expect(result.score).toBe(0);
    expect(result.passed).toBe(false);
    for (const question of result.questions)
      for (const option of question.options) expect(option.explanation.length).toBeGreaterThan(9);
  });

  it("refuses another learner's attempt id as if it did not exist", async () => {
    const attempt = await startAttempt(t.db, learner, quiz.id, 11);
    await expect(openAttempt(t.db, other, quiz.id, attempt.attemptId)).rejects.toMatchObject({
      status: 404,
      code: "UNKNOWN_ATTEMPT",
    });
    await expect(submitAttempt(t.db, other, quiz.id, attempt.attemptId, {})).rejects.toMatchObject({
      status: 404,
    });
    expect((await t.db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.attemptId } })).status).toBe(
      "open",
    );
  });

  it("refuses answers for questions off the paper, unknown options and two answers to a single-choice question", async () => {
    const attempt = await startAttempt(t.db, learner, quiz.id, 13);
    const offPaper = quiz.questions.find((q) => !attempt.questions.some((p) => p.id === q.id));
    if (offPaper)
      await expect(
        submitAttempt(t.db, learner, quiz.id, attempt.attemptId, { [offPaper.id]: ["a"] }),
      ).rejects.toMatchObject({ status: 400 });
    const first = attempt.questions[0];
    await expect(
      submitAttempt(t.db, learner, quiz.id, attempt.attemptId, { [first.id]: ["z"] }),
    ).rejects.toMatchObject({ status: 400 });
    const single = attempt.questions.find((q) => q.kind === "single");
    if (single)
      await expect(
        submitAttempt(t.db, learner, quiz.id, attempt.attemptId, {
          [single.id]: single.options.slice(0, 2).map((o) => o.id),
        }),
      ).rejects.toMatchObject({ status: 400 });
    expect((await t.db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.attemptId } })).status).toBe(
      "open",
    );
  });

  it("finds every quiz the course modules name (seed quiz and module quiz), and no other id", () => {
    const named = courseModules().flatMap((module) => [
      module.quiz.id,
      ...(module.moduleQuiz ? [module.moduleQuiz.id] : []),
    ]);
    expect(named).toHaveLength(9);
    expect(named.filter((id) => quizById(id)?.id !== id)).toEqual([]);
    expect(quizById("no-such-quiz")).toBeUndefined();
  });
});

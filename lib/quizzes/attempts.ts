// Quiz attempts: a random paper per attempt (a subset of the pool, options shuffled), graded once on
// the server. Keys and explanations never leave this module before the attempt is submitted:
// `publicPaper` is the only view of an open attempt, and it carries neither.
import { randomInt } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { HttpError } from "../http/errors.ts";
import { seededRandom } from "../random.ts";
import { loadAllQuizzes } from "./load.ts";
import type { QuizFile, QuizQuestion } from "./schema.ts";

const paperSchema = z.array(z.object({ questionId: z.string(), optionOrder: z.array(z.string()) }));
const answersSchema = z.record(z.string(), z.array(z.string()));
export type Answers = z.infer<typeof answersSchema>;

let quizzes: Map<string, QuizFile> | undefined;
export function quizById(id: string): QuizFile | undefined {
  quizzes ??= loadAllQuizzes();
  return quizzes.get(id);
}

function requireQuiz(id: string): QuizFile {
  const quiz = quizById(id);
  if (!quiz) throw new HttpError(404, "UNKNOWN_QUIZ", "There is no such quiz.");
  return quiz;
}

/** What a learner sees of an open attempt: questions and option texts, in this attempt's order. */
export interface PublicQuestion {
  id: string;
  kind: QuizQuestion["kind"];
  style: QuizQuestion["style"];
  prompt: string;
  code?: QuizQuestion["code"];
  options: Array<{ id: string; text: string }>;
}

export interface PublicAttempt {
  attemptId: string;
  quizId: string;
  title: string;
  status: "open" | "submitted";
  passMark: number;
  questions: PublicQuestion[];
}

function questionMap(quiz: QuizFile): Map<string, QuizQuestion> {
  return new Map(quiz.questions.map((question) => [question.id, question]));
}

function toPublic(quiz: QuizFile, attempt: { id: string; paper: string; status: string }): PublicAttempt {
  const byId = questionMap(quiz);
  const paper = paperSchema.parse(JSON.parse(attempt.paper));
  return {
    attemptId: attempt.id,
    quizId: quiz.id,
    title: quiz.title,
    status: attempt.status === "submitted" ? "submitted" : "open",
    passMark: quiz.passMark,
    questions: paper.map(({ questionId, optionOrder }) => {
      const question = byId.get(questionId);
      if (!question)
        throw new HttpError(
          409,
          "QUIZ_CHANGED",
          "This quiz changed since the attempt started; start a new attempt.",
        );
      const options = new Map(question.options.map((option) => [option.id, option]));
      return {
        id: question.id,
        kind: question.kind,
        style: question.style,
        prompt: question.prompt,
        code: question.code,
        options: optionOrder.map((id) => ({ id, text: options.get(id)?.text ?? "" })),
      };
    }),
  };
}

/** Resumes the learner's open attempt of this quiz, or draws a new paper. */
export async function startAttempt(
  db: Db,
  userId: string,
  quizId: string,
  seed = randomInt(2 ** 31),
): Promise<PublicAttempt> {
  const quiz = requireQuiz(quizId);
  const open = await db.quizAttempt.findFirst({
    where: { userId, quizId, status: "open" },
    orderBy: { startedAt: "desc" },
  });
  if (open) return toPublic(quiz, open);
  const random = seededRandom(seed);
  const drawn = random.shuffle(quiz.questions).slice(0, quiz.questionsPerAttempt);
  const paper = drawn.map((question) => ({
    questionId: question.id,
    optionOrder: random.shuffle(question.options.map((option) => option.id)),
  }));
  const attempt = await db.quizAttempt.create({
    data: { userId, quizId, paper: JSON.stringify(paper), maxScore: paper.length, status: "open" },
  });
  return toPublic(quiz, attempt);
}

/** An attempt of this learner, or 404 — another learner's attempt id is indistinguishable from none. */
async function ownAttempt(db: Db, userId: string, quizId: string, attemptId: string) {
  const attempt = await db.quizAttempt.findUnique({ where: { id: attemptId } });
  if (!attempt || attempt.userId !== userId || attempt.quizId !== quizId)
    throw new HttpError(404, "UNKNOWN_ATTEMPT", "There is no such attempt.");
  return attempt;
}

export async function openAttempt(
  db: Db,
  userId: string,
  quizId: string,
  attemptId: string,
): Promise<PublicAttempt> {
  return toPublic(requireQuiz(quizId), await ownAttempt(db, userId, quizId, attemptId));
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/**
 * Grades the attempt once. A second submission (double click, replay) changes nothing and returns
 * the stored result; answers for questions not on the paper or unknown options are refused.
 */
export async function submitAttempt(
  db: Db,
  userId: string,
  quizId: string,
  attemptId: string,
  rawAnswers: unknown,
): Promise<AttemptResult> {
  const quiz = requireQuiz(quizId);
  const attempt = await ownAttempt(db, userId, quizId, attemptId);
  if (attempt.status === "submitted") return attemptResult(quiz, attempt);
  const parsed = answersSchema.safeParse(rawAnswers);
  if (!parsed.success)
    throw new HttpError(400, "INVALID_ANSWERS", "Answers must map question ids to lists of option ids.");
  const paper = paperSchema.parse(JSON.parse(attempt.paper));
  const byId = questionMap(quiz);
  const onPaper = new Map(paper.map((entry) => [entry.questionId, entry]));
  for (const [questionId, chosen] of Object.entries(parsed.data)) {
    const entry = onPaper.get(questionId);
    if (!entry)
      throw new HttpError(400, "INVALID_ANSWERS", `Question "${questionId}" is not on this attempt's paper.`);
    if (chosen.some((id) => !entry.optionOrder.includes(id)))
      throw new HttpError(
        400,
        "INVALID_ANSWERS",
        `An answer to "${questionId}" names an option it does not have.`,
      );
    if (byId.get(questionId)?.kind === "single" && chosen.length > 1)
      throw new HttpError(400, "INVALID_ANSWERS", `"${questionId}" takes one answer.`);
  }
  const score = paper.filter(({ questionId }) => {
    const correct =
      byId
        .get(questionId)
        ?.options.filter((option) => option.correct)
        .map((option) => option.id) ?? [];
    return sameSet(parsed.data[questionId] ?? [], correct);
  }).length;
  const passed = score / paper.length >= quiz.passMark;
  // Only an open attempt turns into a submitted one: a concurrent second submit updates nothing.
  await db.quizAttempt.updateMany({
    where: { id: attempt.id, status: "open" },
    data: {
      status: "submitted",
      answers: JSON.stringify(parsed.data),
      score,
      passed,
      submittedAt: new Date(),
    },
  });
  return attemptResult(quiz, await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } }));
}

export interface AttemptResult {
  attemptId: string;
  quizId: string;
  title: string;
  score: number;
  maxScore: number;
  passed: boolean;
  passMark: number;
  submittedAt: Date;
  questions: Array<
    Omit<PublicQuestion, "options"> & {
      chosen: string[];
      correct: boolean;
      options: Array<{ id: string; text: string; correct: boolean; chosen: boolean; explanation: string }>;
    }
  >;
}

/** The graded view, with keys and explanations: only for a submitted attempt. */
export function attemptResult(
  quiz: QuizFile,
  attempt: {
    id: string;
    paper: string;
    status: string;
    answers: string | null;
    score: number | null;
    maxScore: number;
    passed: boolean | null;
    submittedAt: Date | null;
  },
): AttemptResult {
  if (attempt.status !== "submitted" || attempt.answers === null)
    throw new HttpError(409, "NOT_SUBMITTED", "Results are shown after you submit the attempt.");
  const answers = answersSchema.parse(JSON.parse(attempt.answers));
  const byId = questionMap(quiz);
  const open = toPublic(quiz, attempt);
  return {
    attemptId: attempt.id,
    quizId: quiz.id,
    title: quiz.title,
    score: attempt.score ?? 0,
    maxScore: attempt.maxScore,
    passed: attempt.passed ?? false,
    passMark: quiz.passMark,
    submittedAt: attempt.submittedAt ?? new Date(0),
    questions: open.questions.map((question) => {
      const full = new Map((byId.get(question.id)?.options ?? []).map((option) => [option.id, option]));
      const chosen = answers[question.id] ?? [];
      const options = question.options.map((option) => ({
        id: option.id,
        text: option.text,
        correct: full.get(option.id)?.correct ?? false,
        chosen: chosen.includes(option.id),
        explanation: full.get(option.id)?.explanation ?? "",
      }));
      const correctIds = options.filter((option) => option.correct).map((option) => option.id);
      return { ...question, chosen, correct: sameSet(chosen, correctIds), options };
    }),
  };
}

export async function submittedResult(
  db: Db,
  userId: string,
  quizId: string,
  attemptId: string,
): Promise<AttemptResult> {
  return attemptResult(requireQuiz(quizId), await ownAttempt(db, userId, quizId, attemptId));
}

export interface QuizStatus {
  quizId: string;
  attempts: number;
  bestScore: number | null;
  maxScore: number | null;
  passed: boolean;
}

/** Per quiz: submitted attempts, best score, passed ever. */
export async function quizStatuses(db: Db, userId: string): Promise<Map<string, QuizStatus>> {
  const rows = await db.quizAttempt.findMany({
    where: { userId, status: "submitted" },
    select: { quizId: true, score: true, maxScore: true, passed: true },
  });
  const statuses = new Map<string, QuizStatus>();
  for (const row of rows) {
    const status = statuses.get(row.quizId) ?? {
      quizId: row.quizId,
      attempts: 0,
      bestScore: null,
      maxScore: null,
      passed: false,
    };
    status.attempts++;
    if (status.bestScore === null || (row.score ?? 0) > status.bestScore) {
      status.bestScore = row.score ?? 0;
      status.maxScore = row.maxScore;
    }
    status.passed ||= row.passed === true;
    statuses.set(row.quizId, status);
  }
  return statuses;
}

export async function attemptHistory(db: Db, userId: string, quizId: string) {
  return db.quizAttempt.findMany({
    where: { userId, quizId },
    orderBy: { startedAt: "desc" },
    select: {
      id: true,
      status: true,
      score: true,
      maxScore: true,
      passed: true,
      startedAt: true,
      submittedAt: true,
    },
  });
}

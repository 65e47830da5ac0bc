// The quiz file format (quizzes/<id>.yaml). Answer keys and explanations live in these files and
// only ever leave the server after an attempt is submitted (see lib/quizzes/attempts.ts).
import { z } from "zod";

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a kebab-case slug");

export const quizOptionSchema = z.strictObject({
  id: z.string().regex(/^[a-z]$/, "option ids are single lowercase letters"),
  text: z.string().min(1),
  correct: z.boolean(),
  /** Why this option is right or wrong; shown only after submission. */
  explanation: z.string().min(10, "every option needs an explanation of why it is right or wrong"),
});

export const quizQuestionSchema = z
  .strictObject({
    id: slug,
    kind: z.enum(["single", "multiple"]),
    style: z.enum(["concept", "scenario", "code-reading"]),
    /** Markdown. */
    prompt: z.string().min(10),
    code: z
      .strictObject({
        language: z.enum(["python", "typescript", "json", "http", "yaml", "bash"]),
        source: z.string().min(1),
      })
      .optional(),
    options: z.array(quizOptionSchema).min(2).max(6),
    /** The lesson this question practises, e.g. "m3/json-schema-inputs". */
    lesson: z
      .string()
      .regex(/^m[1-8]\/[a-z0-9-]+$/)
      .optional(),
  })
  .superRefine((question, ctx) => {
    const correct = question.options.filter((option) => option.correct).length;
    if (question.kind === "single" && correct !== 1)
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: `a single-choice question needs exactly one correct option, found ${correct}`,
      });
    if (question.kind === "multiple" && (correct < 1 || correct === question.options.length))
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "a multiple-choice question needs at least one correct and one incorrect option",
      });
    const ids = question.options.map((option) => option.id);
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: "custom", path: ["options"], message: "option ids must be unique" });
    if (question.style === "code-reading" && !question.code)
      ctx.addIssue({ code: "custom", path: ["code"], message: "a code-reading question needs a code block" });
  });

export const quizFileSchema = z
  .strictObject({
    id: slug,
    title: z.string().min(3),
    /** 1..8 for a module quiz, "final" for the final quiz. */
    module: z.union([z.number().int().min(1).max(8), z.literal("final")]),
    description: z.string().min(10),
    passMark: z.number().min(0.1).max(1).default(0.7),
    questionsPerAttempt: z.number().int().min(1),
    questions: z.array(quizQuestionSchema).min(1),
  })
  .superRefine((quiz, ctx) => {
    const minimum = quiz.module === "final" ? 30 : 12;
    if (quiz.questions.length < minimum)
      ctx.addIssue({
        code: "custom",
        path: ["questions"],
        message: `the pool needs at least ${minimum} questions, found ${quiz.questions.length}`,
      });
    if (quiz.questionsPerAttempt > quiz.questions.length)
      ctx.addIssue({
        code: "custom",
        path: ["questionsPerAttempt"],
        message: "questionsPerAttempt is larger than the pool",
      });
    const ids = quiz.questions.map((question) => question.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate)
      ctx.addIssue({ code: "custom", path: ["questions"], message: `duplicate question id "${duplicate}"` });
  });

export type QuizFile = z.infer<typeof quizFileSchema>;
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
export type QuizOption = z.infer<typeof quizOptionSchema>;

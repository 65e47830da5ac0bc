"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { action } from "@/lib/http/action.ts";
import { startAttempt, submitAttempt } from "@/lib/quizzes/attempts.ts";

const quizId = z.string().regex(/^[a-z0-9-]+$/);

export const startAttemptAction = action(
  {
    role: "learner",
    input: z.object({ quizId }),
    returnTo: (raw) => `/quizzes/${String((raw as { quizId?: string }).quizId ?? "")}`,
  },
  async ({ user, input }) => {
    const attempt = await startAttempt(db(), user.id, input.quizId);
    redirect(`/quizzes/${input.quizId}/attempts/${attempt.attemptId}`);
  },
);

/** Form fields: quizId, attemptId, and `q:<questionId>` per answered question (repeated for multiple choice). */
const submitInput = z.looseObject({ quizId, attemptId: z.string().min(1).max(64) });

export const submitAttemptAction = action(
  { role: "learner", input: submitInput, returnTo: () => "/course" },
  async ({ user, input }) => {
    const answers: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(input)) {
      if (!key.startsWith("q:")) continue;
      answers[key.slice(2)] = Array.isArray(value) ? value.map(String) : [String(value)];
    }
    await submitAttempt(db(), user.id, input.quizId, input.attemptId, answers);
    redirect(`/quizzes/${input.quizId}/attempts/${input.attemptId}`);
  },
);

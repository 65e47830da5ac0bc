import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";
import { openAttempt, submittedResult } from "@/lib/quizzes/attempts.ts";

const params = z.object({ quiz: z.string().regex(/^[a-z0-9-]+$/), attempt: z.string().min(1).max(64) });

/** An open attempt's paper, or a submitted attempt's graded result. */
export const GET = route({ access: "learner", params }, async ({ user, params }) => {
  const attempt = await openAttempt(db(), user.id, params.quiz, params.attempt);
  return json(
    attempt.status === "open" ? attempt : await submittedResult(db(), user.id, params.quiz, params.attempt),
  );
});

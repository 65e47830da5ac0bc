import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";
import { submitAttempt } from "@/lib/quizzes/attempts.ts";

const params = z.object({ quiz: z.string().regex(/^[a-z0-9-]+$/), attempt: z.string().min(1).max(64) });
const body = z.object({ answers: z.record(z.string(), z.array(z.string()).max(6)) });

/** Grades the attempt once; repeating the call returns the same result. */
export const POST = route(
  { access: "learner", params, body, maxBodyBytes: 16 * 1024 },
  async ({ user, params, body }) =>
    json(await submitAttempt(db(), user.id, params.quiz, params.attempt, body.answers)),
);

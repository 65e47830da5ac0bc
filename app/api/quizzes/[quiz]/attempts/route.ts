import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";
import { startAttempt } from "@/lib/quizzes/attempts.ts";

const params = z.object({ quiz: z.string().regex(/^[a-z0-9-]+$/) });

/** Start (or resume) an attempt: the paper without keys or explanations. */
export const POST = route({ access: "learner", params }, async ({ user, params }) =>
  json(await startAttempt(db(), user.id, params.quiz), { status: 201 }),
);

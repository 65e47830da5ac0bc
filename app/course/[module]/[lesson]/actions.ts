"use server";
import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { action } from "@/lib/http/action.ts";
import { markLessonComplete } from "@/lib/progress/lessons.ts";

const input = z.object({ lessonId: z.string().regex(/^m[1-8]\/[a-z0-9-]+$/) });

// No revalidatePath: no page the server keeps shows progress (lessons are the same for everyone, the
// course outline renders per request), and a revalidation would re-render the lesson in the response.
// The form refreshes the browser's router cache itself (lesson-progress.tsx).
export const markCompleteAction = action(
  { role: "learner", input, returnTo: () => "/course" },
  async ({ user, input }) => {
    await markLessonComplete(db(), user.id, input.lessonId);
  },
);

"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { action } from "@/lib/http/action.ts";
import { markLessonComplete } from "@/lib/progress/lessons.ts";

const input = z.object({ lessonId: z.string().regex(/^m[1-8]\/[a-z0-9-]+$/) });

export const markCompleteAction = action(
  { role: "learner", input, returnTo: () => "/course" },
  async ({ user, input }) => {
    await markLessonComplete(db(), user.id, input.lessonId);
    revalidatePath("/course");
  },
);

"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { enqueueGrading } from "@/lib/gradebook/enqueue.ts";
import { regradeLab, regradeSubmission } from "@/lib/gradebook/regrade.ts";
import { action } from "@/lib/http/action.ts";
import { HttpError } from "@/lib/http/errors.ts";

const labId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

/**
 * Runs a regrade and goes to its progress page; an expected refusal (still grading, nothing to regrade)
 * goes back to `from` with its stable code, which the page turns into a sentence.
 */
async function regradeThen(from: string, start: () => Promise<{ batchId: string }>): Promise<never> {
  let target: string;
  try {
    target = `/instructor/regrades/${(await start()).batchId}`;
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    target = `${from}?error=${encodeURIComponent(error.code)}`;
  }
  redirect(target);
}

const submissionPage = (id: unknown) => `/instructor/submissions/${encodeURIComponent(String(id ?? ""))}`;
const labPage = (id: unknown) => `/instructor/labs/${encodeURIComponent(String(id ?? ""))}`;

export const regradeSubmissionAction = action(
  {
    role: "instructor",
    input: z.object({ submissionId: z.string().min(1).max(64) }),
    returnTo: (raw) => submissionPage((raw as { submissionId?: string }).submissionId),
  },
  ({ user, input }) =>
    regradeThen(submissionPage(input.submissionId), () =>
      regradeSubmission(db(), enqueueGrading, user.id, input.submissionId),
    ),
);

export const regradeLabAction = action(
  {
    role: "instructor",
    input: z.object({ labId }),
    returnTo: (raw) => labPage((raw as { labId?: string }).labId),
  },
  ({ user, input }) =>
    regradeThen(labPage(input.labId), () => regradeLab(db(), enqueueGrading, user.id, input.labId)),
);

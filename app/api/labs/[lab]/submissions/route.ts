import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { json, route } from "@/lib/http/route.ts";
import { createSubmission } from "@/lib/submissions/create.ts";
import { MAX_BODY_BYTES, SubmittedFilesSchema } from "@/lib/submissions/files.ts";
import { submissionHistory } from "@/lib/submissions/queries.ts";
import { gradingQueue } from "@/lib/worker/queue.ts";

export const dynamic = "force-dynamic";

const params = z.object({ lab: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const idempotencyKey = z
  .string()
  .min(8, "an idempotency key has at least 8 characters")
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "an idempotency key is made of letters, digits, '_' and '-'");
const body = z.object({
  lang: z.enum(["python", "typescript"]),
  /** run: practice, graded and shown; submit: the same, and a pass counts for progress. */
  kind: z.enum(["run", "submit"]),
  files: SubmittedFilesSchema,
  idempotencyKey: idempotencyKey.optional(),
});

/** Store the files and queue their grading. The same idempotency key returns the same submission. */
export const POST = route(
  { access: "learner", params, body, maxBodyBytes: MAX_BODY_BYTES },
  async ({ user, params, body, request, log }) => {
    const key = idempotencyKey.safeParse(request.headers.get("idempotency-key") ?? body.idempotencyKey);
    if (!key.success)
      throw new HttpError(
        400,
        "IDEMPOTENCY_KEY_REQUIRED",
        "Send an Idempotency-Key header (8-100 letters, digits, _ or -).",
      );
    const queue = await gradingQueue();
    const created = await createSubmission(
      db(),
      {
        userId: user.id,
        labId: params.lab,
        lang: body.lang,
        kind: body.kind,
        files: body.files,
        idempotencyKey: key.data,
      },
      { enqueue: async (submissionId) => void (await queue.enqueue({ submissionId })) },
    );
    log.info({ submissionId: created.id, created: created.created }, "submission accepted");
    return json(
      {
        id: created.id,
        status: created.status,
        created: created.created,
        events: `/api/submissions/${created.id}/events`,
      },
      { status: created.created ? 201 : 200 },
    );
  },
);

const historyQuery = z.object({
  before: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

/** This learner's submissions of this lab, newest first, a page at a time: `{ submissions, more }`. */
export const GET = route(
  { access: "learner", params, query: historyQuery },
  async ({ user, params, query }) =>
    json(await submissionHistory(db(), user.id, params.lab, { before: query.before })),
);

import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { enqueueGrading } from "@/lib/gradebook/enqueue.ts";
import { regradeLab, regradeSubmission } from "@/lib/gradebook/regrade.ts";
import { json, route } from "@/lib/http/route.ts";

const body = z.union([
  z.strictObject({ submissionId: z.string().min(1).max(64) }),
  z.strictObject({ labId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/) }),
]);

/** Regrade one submission ({ submissionId }) or every submitted one of a lab ({ labId }); 202 + progress URL. */
export const POST = route({ access: "instructor", body, maxBodyBytes: 1024 }, async ({ user, body }) => {
  const batch =
    "submissionId" in body
      ? await regradeSubmission(db(), enqueueGrading, user.id, body.submissionId)
      : await regradeLab(db(), enqueueGrading, user.id, body.labId);
  return json(
    { ...batch, progressUrl: `/api/instructor/regrades/${batch.batchId}` },
    { status: 202, headers: { location: `/instructor/regrades/${batch.batchId}` } },
  );
});

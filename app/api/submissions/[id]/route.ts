import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";
import { queuePosition, submissionDetail } from "@/lib/submissions/queries.ts";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });

/** One of the learner's own submissions: code, status, result (trace and stderr included). */
export const GET = route({ access: "learner", params }, async ({ user, params }) => {
  const detail = await submissionDetail(db(), user.id, params.id);
  const position = await queuePosition(db(), {
    id: detail.id,
    status: detail.status,
    createdAt: new Date(detail.createdAt),
  });
  return json({ ...detail, queuePosition: position });
});

import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { regradeProgress } from "@/lib/gradebook/regrade.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { json, route } from "@/lib/http/route.ts";

const params = z.object({ id: z.string().min(1).max(64) });

/** A regrade's progress: finished of total, and the verdicts that changed. */
export const GET = route({ access: "instructor", params }, async ({ params }) => {
  const progress = await regradeProgress(db(), params.id);
  if (!progress) throw new HttpError(404, "UNKNOWN_REGRADE", "There is no such regrade.");
  return json(progress, { headers: { "cache-control": "no-store" } });
});

import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { route } from "@/lib/http/route.ts";
import { ownSubmission } from "@/lib/submissions/queries.ts";
import { parseLastEventId, submissionEventStream } from "@/lib/submissions/sse.ts";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });
const query = z.object({
  lastEventId: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
});

/** Server-Sent Events of a grading run; reconnects replay from Last-Event-ID. */
export const GET = route({ access: "learner", params, query }, async ({ user, params, query, request }) => {
  await ownSubmission(db(), user.id, params.id);
  const after = parseLastEventId(request.headers.get("last-event-id"), query.lastEventId);
  return new Response(submissionEventStream(db(), params.id, after, request.signal), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});

import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { json, route } from "@/lib/http/route.ts";
import { allowPlaygroundStart } from "@/lib/labs/playground-rate-limit.ts";

import { MAX_BODY_BYTES, SubmittedFilesSchema } from "@/lib/submissions/files.ts";
import { viaNative } from "@/lib/worker/native.ts";

export const dynamic = "force-dynamic";

const params = z.object({ lab: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const query = z.object({ since: z.coerce.number().int().min(0).max(1_000_000).default(0) });
const body = z.object({ lang: z.enum(["python", "typescript"]), files: SubmittedFilesSchema });

/** The learner's playground for this lab: state, new messages since `since`, stderr. */
export const GET = route({ access: "learner", params, query }, async ({ user, params, query }) => {
  const state = await viaNative(async (engine) => engine.playground.state(user.id, params.lab, query.since));
  if (!state) throw new HttpError(404, "NO_PLAYGROUND", "No playground is running for this lab.");
  return json(state);
});

/** Start the learner's current code in the sandbox for 2 minutes (replacing a running session). */
export const POST = route(
  { access: "learner", params, body, maxBodyBytes: MAX_BODY_BYTES },
  async ({ user, params, body }) => {
    await allowPlaygroundStart(db(), user.id);
    return json(
      await viaNative((engine) => engine.playground.start(user.id, params.lab, body.lang, body.files)),
      { status: 201 },
    );
  },
);

export const DELETE = route({ access: "learner", params }, async ({ user, params }) => {
  const state = await viaNative((engine) => engine.playground.stop(user.id, params.lab));
  if (!state) throw new HttpError(404, "NO_PLAYGROUND", "No playground is running for this lab.");
  return json(state);
});

import { z } from "zod";
import { json, route } from "@/lib/http/route.ts";
import { ServerRequestAnswerSchema } from "@/lib/labs/playground-server-requests.ts";
import { viaNative } from "@/lib/worker/native.ts";

export const dynamic = "force-dynamic";

const params = z.object({
  lab: z.string().regex(/^[a-z0-9-]{1,64}$/),
  id: z.string().regex(/^r[0-9]{1,9}$/),
});
const body = ServerRequestAnswerSchema.and(z.object({ since: z.number().int().min(0).default(0) }));

/** The learner's answer to a sampling or elicitation request their playground server is waiting on. */
export const POST = route(
  { access: "learner", params, body, maxBodyBytes: 64 * 1024 },
  async ({ user, params, body }) => {
    const { since, ...answer } = body;
    return json(
      await viaNative(async (engine) =>
        engine.playground.answer(user.id, params.lab, params.id, answer, since),
      ),
    );
  },
);

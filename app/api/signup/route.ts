import { z } from "zod";
import { signUp } from "@/lib/auth/signup.ts";
import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";

// The sign-up rules live in lib/auth/signup.ts; this only passes the body through (it reports every
// field's problem at once, so the body is parsed there, not here).
export const POST = route(
  { access: "public", body: z.unknown(), maxBodyBytes: 4 * 1024 },
  async ({ body, log }) => {
    const result = await signUp(db(), body);
    if (!result.ok)
      return json({ error: { code: "INVALID_INPUT", fieldErrors: result.fieldErrors } }, { status: 400 });
    log.info({ event: "user.signed-up", userId: result.userId }, "new account");
    return json({ ok: true }, { status: 201 });
  },
);

import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { json, route } from "@/lib/http/route.ts";
import { getLab } from "@/lib/labs/catalog.ts";
import { draftsFor, saveDraft } from "@/lib/labs/drafts.ts";
import { MAX_BODY_BYTES, SubmittedFilesSchema } from "@/lib/submissions/files.ts";

export const dynamic = "force-dynamic";

const params = z.object({ lab: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const body = z.object({ lang: z.enum(["python", "typescript"]), files: SubmittedFilesSchema });

async function requireLab(id: string) {
  const lab = await getLab(id);
  if (!lab) throw new HttpError(404, "UNKNOWN_LAB", `There is no lab "${id}".`);
  return lab;
}

/** The learner's drafts of this lab, one per language. */
export const GET = route({ access: "learner", params }, async ({ user, params }) => {
  await requireLab(params.lab);
  return json({ drafts: await draftsFor(db(), user.id, params.lab) });
});

/** Autosave (POST also serves navigator.sendBeacon when the page closes). */
const save = route(
  { access: "learner", params, body, maxBodyBytes: MAX_BODY_BYTES },
  async ({ user, params, body }) => {
    const lab = await requireLab(params.lab);
    if (!lab.languages.includes(body.lang))
      throw new HttpError(400, "LANGUAGE_NOT_OFFERED", `Lab ${lab.id} is not offered in ${body.lang}.`);
    const draft = await saveDraft(db(), user.id, lab.id, body.lang, body.files);
    return json({ lang: draft.lang, updatedAt: draft.updatedAt.toISOString() });
  },
);
export const PUT = save;
export const POST = save;

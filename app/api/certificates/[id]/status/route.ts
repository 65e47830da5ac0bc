import { z } from "zod";
import { publicCertificate } from "@/lib/certificates/issue.ts";
import { db } from "@/lib/db/client.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { json, route } from "@/lib/http/route.ts";

const params = z.object({ id: z.string().min(1).max(64) });

/** Machine check of a certificate's live status: valid, revoked (with reason) or signature-invalid. */
export const GET = route({ access: "public", params }, async ({ params }) => {
  const certificate = await publicCertificate(db(), params.id);
  if (!certificate) throw new HttpError(404, "UNKNOWN_CERTIFICATE", "There is no such certificate.");
  return json({
    id: certificate.id,
    status: certificate.status,
    reason: certificate.statusReason,
    issuedAt: certificate.issuedAt,
  });
});

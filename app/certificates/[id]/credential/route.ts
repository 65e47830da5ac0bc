import { z } from "zod";
import { db } from "@/lib/db/client.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { route } from "@/lib/http/route.ts";

const params = z.object({ id: z.string().min(1).max(64) });

/** The signed credential, as a download. Public, like the certificate page. */
export const GET = route({ access: "public", params }, async ({ params }) => {
  const certificate = await db().certificate.findUnique({
    where: { id: params.id },
    select: { credentialJwt: true },
  });
  if (!certificate) throw new HttpError(404, "UNKNOWN_CERTIFICATE", "There is no such certificate.");
  return new Response(certificate.credentialJwt, {
    headers: {
      "content-type": "application/vc+jwt",
      "content-disposition": `attachment; filename="mcp-lab-certificate-${params.id}.jwt"`,
    },
  });
});

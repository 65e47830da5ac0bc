import { z } from "zod";
import { HttpError } from "@/lib/http/errors.ts";
import { route } from "@/lib/http/route.ts";
import { monacoAsset } from "@/lib/labs/monaco-assets.ts";

const params = z.object({ path: z.array(z.string().max(128)).min(3).max(8) });

/** The Monaco editor's files (loader, editor, workers), from our own node_modules; no CDN. */
export const GET = route({ access: "public", params }, async ({ params }) => {
  const asset = await monacoAsset(params.path);
  if (!asset) throw new HttpError(404, "NOT_FOUND", "No such editor file.");
  return new Response(new Uint8Array(asset.body), {
    headers: {
      "content-type": asset.contentType,
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
});

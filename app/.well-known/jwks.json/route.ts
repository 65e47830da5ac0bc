import { ensureSigningKey, publicJwks } from "@/lib/certificates/keys.ts";
import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";

/** The public keys that sign MCP Lab certificates (the key is made at start-up, or here if that failed). */
export const GET = route({ access: "public" }, async () => {
  await ensureSigningKey(db());
  return json(await publicJwks(db()), { headers: { "cache-control": "public, max-age=300" } });
});

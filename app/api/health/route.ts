import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";

export const dynamic = "force-dynamic";

/** Liveness + readiness: 200 when the database answers, 503 otherwise. */
export const GET = route({ access: "public" }, async ({ log }) => {
  const started = performance.now();
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return json({ status: "ok", database: "ok", latencyMs: Math.round(performance.now() - started) });
  } catch (error) {
    log.error({ err: error }, "health check: database unreachable");
    return json({ status: "error", database: "unreachable" }, { status: 503 });
  }
});

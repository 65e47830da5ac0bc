import { hasRole } from "@/lib/auth/roles.ts";
import { config } from "@/lib/config.ts";
import { db } from "@/lib/db/client.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { route } from "@/lib/http/route.ts";
import { collectMetrics } from "@/lib/metrics/collect.ts";
import { PROMETHEUS_CONTENT_TYPE, renderExposition } from "@/lib/metrics/exposition.ts";
import { carriesScrapeToken } from "@/lib/metrics/scrape-token.ts";

export const dynamic = "force-dynamic";

/**
 * Queue depth, gradings by lab and verdict, queue wait and grading time (Prometheus text format).
 * Readable by a signed-in admin, or by a scraper with `Authorization: Bearer $METRICS_TOKEN`.
 */
export const GET = route({ access: "public" }, async ({ request, user }) => {
  if (!carriesScrapeToken(request.headers.get("authorization"), config().METRICS_TOKEN)) {
    if (!user) throw new HttpError(401, "UNAUTHENTICATED", "Sign in as an admin, or send the metrics token.");
    if (!hasRole(user.role, "admin")) throw new HttpError(403, "FORBIDDEN", "Your role does not allow this.");
  }
  const body = renderExposition(await collectMetrics(db()));
  return new Response(body, {
    headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
  });
});

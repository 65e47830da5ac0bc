import { toViewer } from "@/lib/auth/viewer.ts";
import { db } from "@/lib/db/client.ts";
import { json, route } from "@/lib/http/route.ts";
import { completedLessonIds } from "@/lib/progress/lessons.ts";

/**
 * Who is looking, for static pages that learn it in the browser (lessons): the header's name and role
 * links, and the lessons completed. Per person, so never stored by a cache.
 */
export const GET = route({ access: "public" }, async ({ user }) =>
  json(
    {
      viewer: toViewer(user),
      completedLessons: user ? [...(await completedLessonIds(db(), user.id))].sort() : [],
    },
    { headers: { "cache-control": "private, no-store" } },
  ),
);

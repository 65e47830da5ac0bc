import { db } from "@/lib/db/client.ts";
import { gradebookCsv } from "@/lib/gradebook/csv.ts";
import { gradebookQuerySchema, loadGradebook } from "@/lib/gradebook/gradebook.ts";
import { route } from "@/lib/http/route.ts";

/** The gradebook as CSV, with the page's filter and sort (?q=&sort=&dir=). */
export const GET = route({ access: "instructor", query: gradebookQuerySchema }, async ({ query }) => {
  const csv = gradebookCsv(await loadGradebook(db(), query));
  const date = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="mcp-lab-gradebook-${date}.csv"`,
      "cache-control": "no-store",
    },
  });
});

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { regradeProgress } from "@/lib/gradebook/regrade.ts";
import { when } from "../../format.ts";
import { StatusBadge } from "../../status-badge.tsx";
import { AutoRefresh } from "./auto-refresh.tsx";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Regrade" };

/** Progress of a regrade: how many of its runs are done, and which verdicts changed. */
export default async function RegradePage({ params }: Params) {
  const { id } = await params;
  await requireUser(`/instructor/regrades/${encodeURIComponent(id)}`, "instructor");
  const progress = await regradeProgress(db(), id);
  if (!progress) notFound();
  return (
    <section>
      <p className="crumbs">
        <Link href="/instructor">Gradebook</Link> /{" "}
        <Link href={`/instructor/labs/${progress.labId}`}>{progress.labId}</Link> / regrade
      </p>
      <h1>
        Regrade of{" "}
        {progress.scope === "lab"
          ? `every submission of ${progress.labId}`
          : `one ${progress.labId} submission`}
      </h1>
      <p className="muted">Requested {when(progress.createdAt)}</p>
      <p data-testid="regrade-progress" data-complete={progress.complete ? "yes" : "no"}>
        <progress max={progress.total} value={progress.finished} /> {progress.finished} of {progress.total}{" "}
        done
        {progress.complete ? "" : ` · ${progress.running} running · ${progress.queued} queued`}
        {progress.errors ? ` · ${progress.errors} could not be graded` : ""} · {progress.passed} passed
      </p>
      <AutoRefresh active={!progress.complete} />
      <h2>Changed verdicts</h2>
      {progress.changed.length ? (
        <table className="data" data-testid="regrade-changes">
          <thead>
            <tr>
              <th scope="col">Submission</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {progress.changed.map((change) => (
              <tr key={change.submissionId}>
                <td>
                  <Link href={`/instructor/submissions/${change.originalId}`}>original</Link> →{" "}
                  <Link href={`/instructor/submissions/${change.submissionId}`}>regrade</Link>
                </td>
                <td>
                  <StatusBadge status={change.from} />
                </td>
                <td>
                  <StatusBadge status={change.to} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">
          {progress.complete
            ? "No verdict changed."
            : progress.finished
              ? "No verdict changed so far."
              : "Nothing finished yet."}
        </p>
      )}
    </section>
  );
}

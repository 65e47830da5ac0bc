import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { REGRADE_REFUSALS, recentRegrades } from "@/lib/gradebook/regrade.ts";
import { labStatistics } from "@/lib/gradebook/stats.ts";
import { getLab } from "@/lib/labs/catalog.ts";
import { regradeLabAction } from "../../actions.ts";
import { percent, when } from "../../format.ts";

type Params = {
  params: Promise<{ lab: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: "Lab statistics" };

/** A lab's figures (pass rate, attempts to pass, failing checks), its regrades, and a learner's preview. */
export default async function LabStatisticsPage({ params, searchParams }: Params) {
  const { lab: labId } = await params;
  const { error } = await searchParams;
  await requireUser(`/instructor/labs/${encodeURIComponent(labId)}`, "instructor");
  const lab = await getLab(labId);
  if (!lab) notFound();
  const [stats, regrades] = await Promise.all([labStatistics(db(), labId), recentRegrades(db(), labId)]);
  return (
    <section>
      <p className="crumbs">
        <Link href="/instructor">Gradebook</Link> / lab
      </p>
      <h1>{lab.title}</h1>
      <p>
        <Link href={`/labs/${labId}`}>Preview this lab as a learner</Link> · module {lab.module} ·{" "}
        {lab.transport} · {lab.languages.join(", ")}
      </p>
      <h2>Statistics</h2>
      <p className="muted">
        From learners' submitted work (Submit, not practice runs); each submission counts with its newest
        result, so after a regrade the figures follow the current checks.
      </p>
      <dl className="gb-kv" data-testid="lab-stats">
        <dt>Pass rate</dt>
        <dd data-testid="pass-rate">
          {percent(stats.passRate)} ({stats.learnersPassed} of {stats.learnersAttempted} learners who
          submitted)
        </dd>
        <dt>Submissions</dt>
        <dd>{stats.submissions}</dd>
        <dt>Attempts to pass</dt>
        <dd>
          {stats.attemptsToPass.median === null
            ? "—"
            : `median ${stats.attemptsToPass.median}, mean ${stats.attemptsToPass.mean?.toFixed(1)}, most ${stats.attemptsToPass.max}`}
        </dd>
        <dt>Verdicts</dt>
        <dd>
          {Object.entries(stats.verdicts)
            .sort((a, b) => b[1] - a[1])
            .map(([verdict, count]) => `${verdict} ${count}`)
            .join(" · ") || "—"}
        </dd>
        {stats.unreadableResults ? (
          <>
            <dt>Unreadable results</dt>
            <dd className="error">
              {stats.unreadableResults} stored result(s) do not match the result format
            </dd>
          </>
        ) : null}
      </dl>
      <h3>Checks that fail most</h3>
      {stats.failingChecks.length ? (
        <table className="data" data-testid="failing-checks">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Severity</th>
              <th scope="col">Failed</th>
              <th scope="col">Of runs</th>
            </tr>
          </thead>
          <tbody>
            {stats.failingChecks.map((check) => (
              <tr key={check.id}>
                <td>
                  <code>{check.id}</code>
                  <div className="muted">{check.title}</div>
                </td>
                <td>{check.severity}</td>
                <td>{check.failures}</td>
                <td>
                  {check.runs} ({percent(check.failures / check.runs)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No check has failed in a graded submission.</p>
      )}
      <h2>Regrade</h2>
      <p>
        After you change <code>labs/{labId}/checks.ts</code>, grade every learner's submitted work again. Each
        submission gets a new result (same code, same seed); the old result stays.
      </p>
      {typeof error === "string" && REGRADE_REFUSALS[error] ? (
        <p className="error" role="alert">
          {REGRADE_REFUSALS[error]}
        </p>
      ) : null}
      <form action={regradeLabAction}>
        <input type="hidden" name="labId" value={labId} />
        <button type="submit" className="button">
          Regrade all submissions of {labId}
        </button>
      </form>
      {regrades.length ? (
        <table className="data" data-testid="recent-regrades">
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Scope</th>
              <th scope="col">Progress</th>
              <th scope="col">Changed verdicts</th>
            </tr>
          </thead>
          <tbody>
            {regrades.map((batch) => (
              <tr key={batch.batchId}>
                <td>
                  <Link href={`/instructor/regrades/${batch.batchId}`}>{when(batch.createdAt)}</Link>
                </td>
                <td>{batch.scope}</td>
                <td>
                  {batch.finished} of {batch.total} done
                </td>
                <td>{batch.changed.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

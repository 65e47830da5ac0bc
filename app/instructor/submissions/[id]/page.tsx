import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { currentChecksHash } from "@/lib/gradebook/checks-hash.ts";
import { REGRADE_REFUSALS } from "@/lib/gradebook/regrade.ts";
import { submissionDetail } from "@/lib/gradebook/submission.ts";
import { regradeSubmissionAction } from "../../actions.ts";
import { when } from "../../format.ts";
import { StatusBadge } from "../../status-badge.tsx";
import { ChecksHashNote } from "./checks-hash.tsx";
import { TraceView } from "./trace-view.tsx";

type Params = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: "Submission" };

/** One submission: the code that was graded, each check's outcome, the JSON-RPC trace and stderr. */
export default async function SubmissionPage({ params, searchParams }: Params) {
  const { id } = await params;
  const { error } = await searchParams;
  await requireUser(`/instructor/submissions/${encodeURIComponent(id)}`, "instructor");
  const submission = await submissionDetail(db(), id);
  if (!submission) notFound();
  const result = submission.result?.ok ? submission.result.value : null;
  const checksNow = result ? await currentChecksHash(submission.labId) : null;
  const learner = submission.user;
  return (
    <section>
      <p className="crumbs">
        <Link href="/instructor">Gradebook</Link> /{" "}
        <Link href={`/instructor/learners/${learner.id}`}>{learner.name ?? learner.email}</Link> / submission
      </p>
      <h1>
        {submission.labId} · {submission.lang} · {submission.kind}
        {submission.regradeOfId ? " (regrade)" : ""}
      </h1>
      <dl className="gb-kv" data-testid="submission-summary">
        <dt>Learner</dt>
        <dd>
          {learner.name ?? "—"} ({learner.email})
        </dd>
        <dt>Submitted</dt>
        <dd>{when(submission.createdAt)}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={submission.status} />
        </dd>
        <dt>Verdict</dt>
        <dd data-testid="verdict">
          <StatusBadge status={submission.verdict} /> {result?.message ?? ""}
        </dd>
        <dt>Score</dt>
        <dd>{submission.maxScore !== null ? `${submission.score ?? 0} / ${submission.maxScore}` : "—"}</dd>
        <dt>Seed</dt>
        <dd>{submission.seed}</dd>
        {result ? (
          <>
            <dt>Graded by</dt>
            <dd>
              {Object.entries(result.runtime)
                .map(([name, version]) => `${name} ${version}`)
                .join(", ")}{" "}
              in {Math.round(result.durationMs)} ms
            </dd>
            <dt>Checks</dt>
            <dd>
              <ChecksHashNote graded={result.checksHash} current={checksNow} />
            </dd>
          </>
        ) : null}
      </dl>

      <h2>Regrades</h2>
      <p className="muted">
        A regrade runs the same code with the same seed against the lab's current checks and stores a new
        result next to the old one.
      </p>
      <table className="data" data-testid="regrade-family">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">When</th>
            <th scope="col">Status</th>
            <th scope="col">Verdict</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {submission.family.map((run) => (
            <tr key={run.id} aria-current={run.id === submission.id ? "true" : undefined}>
              <td>
                {run.id === submission.id ? (
                  <strong>{run.regradeOfId ? "regrade (this page)" : "original (this page)"}</strong>
                ) : (
                  <Link href={`/instructor/submissions/${run.id}`}>
                    {run.regradeOfId ? "regrade" : "original"}
                  </Link>
                )}
              </td>
              <td>{when(run.createdAt)}</td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td>
                <StatusBadge status={run.verdict} />
              </td>
              <td>{run.maxScore !== null ? `${run.score ?? 0} / ${run.maxScore}` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {typeof error === "string" && REGRADE_REFUSALS[error] ? (
        <p className="error" role="alert">
          {REGRADE_REFUSALS[error]}
        </p>
      ) : null}
      <form action={regradeSubmissionAction}>
        <input type="hidden" name="submissionId" value={submission.id} />
        <button type="submit" className="button small">
          Regrade this submission
        </button>
      </form>

      <h2>Checks</h2>
      {submission.result === null ? (
        <p className="muted">Not graded yet.</p>
      ) : !submission.result.ok ? (
        <p className="error">The stored result cannot be read: {submission.result.error}</p>
      ) : (
        <table className="data" data-testid="checks">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {submission.result.value.checks.map((check) => (
              <tr key={check.id} data-check={check.id} data-check-status={check.status}>
                <td>
                  <code>{check.id}</code>
                  <div className="muted">{check.title}</div>
                </td>
                <td>{check.severity}</td>
                <td>
                  <StatusBadge status={check.status} />
                </td>
                <td className="gb-check-detail">
                  <div>{check.message}</div>
                  {check.sent ? (
                    <div>
                      Sent: <pre>{check.sent}</pre>
                    </div>
                  ) : null}
                  {check.expected !== undefined ? (
                    <div>
                      Expected: <pre>{check.expected}</pre>
                    </div>
                  ) : null}
                  {check.actual !== undefined ? (
                    <div>
                      Actual: <pre>{check.actual}</pre>
                    </div>
                  ) : null}
                  {check.hint ? <div>Hint: {check.hint}</div> : null}
                  {check.lesson || check.specRef ? (
                    <div className="muted">
                      {check.lesson ? (
                        <Link href={`/course/${check.lesson}`}>lesson {check.lesson}</Link>
                      ) : null}
                      {check.lesson && check.specRef ? " · " : null}
                      {check.specRef ? `spec ${check.specRef}` : null}
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Code</h2>
      {submission.files.ok ? (
        Object.entries(submission.files.value).map(([path, content]) => (
          <details key={path} open data-file={path}>
            <summary>
              <code>{path}</code> <span className="muted">({content.split("\n").length} lines)</span>
            </summary>
            <pre className="gb-code">
              <code>{content}</code>
            </pre>
          </details>
        ))
      ) : (
        <p className="error">{submission.files.error}</p>
      )}

      {result ? (
        <>
          <h2>Trace (JSON-RPC timeline)</h2>
          <TraceView trace={result.trace} truncated={result.traceTruncated} />
          <h2>Server stderr</h2>
          {result.stderr ? (
            <pre className="gb-code" data-testid="stderr">
              {result.stderr}
            </pre>
          ) : (
            <p className="muted">The server wrote nothing to stderr.</p>
          )}
          {result.stderrTruncated ? (
            <p className="muted">
              stderr was truncated at {result.limits?.outputKb ?? "the output limit in"} KB.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

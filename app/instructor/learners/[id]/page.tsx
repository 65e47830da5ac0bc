import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { learnerDetail } from "@/lib/gradebook/learner.ts";
import { when } from "../../format.ts";
import { StatusBadge } from "../../status-badge.tsx";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Learner" };

/** One learner: lessons done, quiz attempts, submissions (each linking to its code, results and trace). */
export default async function LearnerPage({ params }: Params) {
  const { id } = await params;
  await requireUser(`/instructor/learners/${encodeURIComponent(id)}`, "instructor");
  const learner = await learnerDetail(db(), id);
  if (!learner) notFound();
  return (
    <section>
      <p className="crumbs">
        <Link href="/instructor">Gradebook</Link> / learner
      </p>
      <h1 data-testid="learner-name">{learner.name ?? learner.email}</h1>
      <dl className="gb-kv">
        <dt>Email</dt>
        <dd>{learner.email}</dd>
        <dt>Role</dt>
        <dd>{learner.role}</dd>
        <dt>Joined</dt>
        <dd>{when(learner.createdAt)}</dd>
        <dt>Certificate</dt>
        <dd>
          {learner.certificate ? (
            <>
              <Link href={`/certificates/${learner.certificate.id}`}>
                {learner.certificate.revokedAt ? "revoked" : "issued"} {when(learner.certificate.issuedAt)}
              </Link>
              {learner.certificate.revokedReason ? ` — ${learner.certificate.revokedReason}` : null}
            </>
          ) : (
            "not issued"
          )}
        </dd>
      </dl>

      <h2>
        Lessons done ({learner.lessonProgress.length} of {learner.lessonsTotal})
      </h2>
      {learner.lessonProgress.length ? (
        <ul data-testid="lessons-done">
          {learner.lessonProgress.map((lesson) => (
            <li key={lesson.lessonId}>
              <Link href={`/course/${lesson.lessonId}`}>{lesson.title}</Link>{" "}
              <span className="muted">{when(lesson.completedAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No lesson marked complete yet.</p>
      )}

      <h2>Quiz attempts</h2>
      {learner.quizAttempts.length ? (
        <table className="data" data-testid="quiz-attempts">
          <thead>
            <tr>
              <th scope="col">Quiz</th>
              <th scope="col">Started</th>
              <th scope="col">Submitted</th>
              <th scope="col">Score</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {learner.quizAttempts.map((attempt) => (
              <tr key={attempt.id}>
                <td>{attempt.title}</td>
                <td>{when(attempt.startedAt)}</td>
                <td>{when(attempt.submittedAt)}</td>
                <td>
                  {attempt.status === "submitted" ? `${attempt.score ?? 0} / ${attempt.maxScore}` : "—"}
                </td>
                <td>
                  <StatusBadge
                    status={
                      attempt.status === "submitted" ? (attempt.passed ? "passed" : "failed") : "in-progress"
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No quiz attempts yet.</p>
      )}

      <h2>Submissions</h2>
      {learner.submissions.length ? (
        <table className="data" data-testid="submissions">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Lab</th>
              <th scope="col">Language</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Verdict</th>
              <th scope="col">Score</th>
            </tr>
          </thead>
          <tbody>
            {learner.submissions.map((submission) => (
              <tr key={submission.id}>
                <td>
                  <Link href={`/instructor/submissions/${submission.id}`}>{when(submission.createdAt)}</Link>
                </td>
                <td>{submission.labId}</td>
                <td>{submission.lang}</td>
                <td>
                  {submission.kind}
                  {submission.regradeOfId ? " (regrade)" : ""}
                </td>
                <td>
                  <StatusBadge status={submission.status} />
                </td>
                <td>
                  <StatusBadge status={submission.verdict} />
                </td>
                <td>
                  {submission.maxScore !== null ? `${submission.score ?? 0} / ${submission.maxScore}` : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No submissions yet.</p>
      )}
    </section>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { attemptHistory, quizById } from "@/lib/quizzes/attempts.ts";
import { startAttemptAction } from "../actions.ts";

type Params = { params: Promise<{ quiz: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: quizById((await params).quiz)?.title ?? "Quiz" };
}

export default async function QuizPage({ params }: Params) {
  const quiz = quizById((await params).quiz);
  if (!quiz) notFound();
  const user = await requireUser(`/quizzes/${quiz.id}`);
  const history = await attemptHistory(db(), user.id, quiz.id);
  const open = history.find((attempt) => attempt.status === "open");
  return (
    <section className="narrow">
      <p className="crumbs">
        <Link href="/course">Course</Link> /{" "}
        {quiz.module === "final" ? "Final quiz" : `Module ${quiz.module} quiz`}
      </p>
      <h1>{quiz.title}</h1>
      <p>{quiz.description}</p>
      <p className="muted">
        {quiz.questionsPerAttempt} questions drawn from a pool of {quiz.questions.length}; pass mark{" "}
        {Math.round(quiz.passMark * 100)}%. Unlimited attempts; each one draws new questions and shuffles the
        options.
      </p>
      <form action={startAttemptAction}>
        <input type="hidden" name="quizId" value={quiz.id} />
        <button type="submit" className="button">
          {open ? "Resume your attempt" : history.length ? "Start a new attempt" : "Start the quiz"}
        </button>
      </form>
      {history.length ? (
        <>
          <h2>Your attempts</h2>
          <table className="data" data-testid="attempt-history">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Score</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {history.map((attempt) => (
                <tr key={attempt.id}>
                  <td>
                    <Link href={`/quizzes/${quiz.id}/attempts/${attempt.id}`}>
                      {attempt.startedAt.toISOString().slice(0, 16).replace("T", " ")}
                    </Link>
                  </td>
                  <td>{attempt.status === "submitted" ? `${attempt.score} / ${attempt.maxScore}` : "—"}</td>
                  <td>
                    {attempt.status === "open" ? "in progress" : attempt.passed ? "passed" : "not passed"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

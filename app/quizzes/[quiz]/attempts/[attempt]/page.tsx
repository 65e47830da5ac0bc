import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.ts";
import { renderMarkdown } from "@/lib/course/render.ts";
import { db } from "@/lib/db/client.ts";
import {
  type AttemptResult,
  openAttempt,
  type PublicQuestion,
  submittedResult,
} from "@/lib/quizzes/attempts.ts";
import { submitAttemptAction } from "../../../actions.ts";

type Params = { params: Promise<{ quiz: string; attempt: string }> };

export const metadata: Metadata = { title: "Quiz attempt" };

/** Prompt and code of a question as server-rendered HTML (Markdown + Shiki). */
async function QuestionText({ quizId, question }: { quizId: string; question: PublicQuestion }) {
  const code = question.code ? `\n\n\`\`\`${question.code.language}\n${question.code.source}\n\`\`\`\n` : "";
  const html = await renderMarkdown(`quiz:${quizId}:${question.id}`, `${question.prompt}${code}`);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered on the server from our own quiz files
  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}

function Result({ result }: { result: AttemptResult }) {
  return (
    <>
      <p className={result.passed ? "result pass" : "result fail"} data-testid="quiz-score">
        {result.passed ? "Passed" : "Not passed"}: {result.score} / {result.maxScore} (pass mark{" "}
        {Math.round(result.passMark * 100)}%)
      </p>
      <ol className="quiz">
        {result.questions.map((question) => (
          <li key={question.id} data-correct={question.correct ? "yes" : "no"}>
            <QuestionText quizId={result.quizId} question={question} />
            <p className={question.correct ? "badge done" : "badge wrong"}>
              {question.correct ? "correct" : "incorrect"}
            </p>
            <ul className="options graded">
              {question.options.map((option) => (
                <li key={option.id} className={option.correct ? "key" : option.chosen ? "wrong" : ""}>
                  <strong>{option.chosen ? "Your answer: " : ""}</strong>
                  {option.text}
                  {option.correct ? <span className="badge done">right answer</span> : null}
                  <p className="explanation">{option.explanation}</p>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </>
  );
}

export default async function AttemptPage({ params }: Params) {
  const { quiz: quizId, attempt: attemptId } = await params;
  const user = await requireUser(`/quizzes/${quizId}/attempts/${attemptId}`);
  const attempt = await openAttempt(db(), user.id, quizId, attemptId).catch(() => null);
  // Another learner's attempt is answered exactly like one that does not exist.
  if (!attempt) notFound();
  return (
    <section className="narrow">
      <p className="crumbs">
        <Link href="/course">Course</Link> / <Link href={`/quizzes/${quizId}`}>{attempt.title}</Link>
      </p>
      <h1>{attempt.title}</h1>
      {attempt.status === "submitted" ? (
        <>
          <Result result={await submittedResult(db(), user.id, quizId, attemptId)} />
          <p>
            <Link href={`/quizzes/${quizId}`}>Back to the quiz and your attempts</Link>
          </p>
        </>
      ) : (
        <form action={submitAttemptAction} className="quiz-form">
          <input type="hidden" name="quizId" value={quizId} />
          <input type="hidden" name="attemptId" value={attemptId} />
          <ol className="quiz">
            {attempt.questions.map((question, index) => (
              <li key={question.id}>
                <fieldset>
                  <legend className="sr-only">Question {index + 1}</legend>
                  <QuestionText quizId={quizId} question={question} />
                  <p className="muted">
                    {question.kind === "multiple" ? "Choose every correct answer." : "Choose one answer."}
                  </p>
                  {question.options.map((option) => (
                    <label key={option.id} className="option">
                      <input
                        type={question.kind === "multiple" ? "checkbox" : "radio"}
                        name={`q:${question.id}`}
                        value={option.id}
                      />{" "}
                      {option.text}
                    </label>
                  ))}
                </fieldset>
              </li>
            ))}
          </ol>
          <button type="submit" className="button">
            Submit answers
          </button>
        </form>
      )}
    </section>
  );
}

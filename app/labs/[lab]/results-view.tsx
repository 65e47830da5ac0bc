"use client";
// Each check as it finishes, then the score. A failed check says what was sent, what was expected,
// what came back, a hint, and links to the lesson and the spec section.
import { OTHER_AREA, readiness } from "@/conformance/readiness.ts";
import type { CheckResult, Readiness } from "@/conformance/result.ts";
import { describeProgress, type LiveRun } from "@/lib/submissions/live-run.ts";
import type { SubmissionDetail } from "@/lib/submissions/queries.ts";

const SPEC_BASE = "https://modelcontextprotocol.io/specification/";

/** "m2/getting-started" -> /course/m2/getting-started */
export function lessonHref(lesson: string): string {
  return `/course/${lesson}`;
}

/** "2025-11-25/server/tools#tool" -> the spec page and anchor */
export function specHref(specRef: string): string {
  return SPEC_BASE + specRef;
}

const STATUS_ICON: Record<CheckResult["status"], string> = { pass: "✓", fail: "✗", error: "!", skipped: "–" };

function CheckItem({ check }: { check: CheckResult }) {
  const failed = check.status === "fail" || check.status === "error";
  // A failed `should` is a warning: it costs no points of the pass.
  const warning = failed && check.severity === "should";
  return (
    <li
      className={`check check-${check.status}${warning ? " check-warning" : ""}`}
      data-check={check.id}
      data-status={check.status}
    >
      <details open={failed && !warning}>
        <summary>
          <span className="check-icon" aria-hidden="true">
            {warning ? "!" : STATUS_ICON[check.status]}
          </span>{" "}
          <span className="check-title">{check.title}</span> <code className="check-id">{check.id}</code>
          {check.severity === "should" ? (
            <span className="badge">{warning ? "warning (should)" : "should"}</span>
          ) : null}
          <span className="sr-only"> {check.status}</span>
        </summary>
        <div className="check-body">
          <p className="check-message">{check.message}</p>
          {check.sent ? (
            <p>
              <strong>Sent:</strong> <code>{check.sent}</code>
            </p>
          ) : null}
          {check.expected !== undefined || check.actual !== undefined ? (
            <div className="expected-actual">
              <div>
                <strong>Expected</strong>
                <pre>{check.expected ?? "—"}</pre>
              </div>
              <div>
                <strong>Actual</strong>
                <pre>{check.actual ?? "—"}</pre>
              </div>
            </div>
          ) : null}
          {check.hint ? (
            <p className="check-hint">
              <strong>Hint:</strong> {check.hint}
            </p>
          ) : null}
          {check.lesson || check.specRef ? (
            <p className="check-links">
              {check.lesson ? <a href={lessonHref(check.lesson)}>Lesson: {check.lesson}</a> : null}
              {check.lesson && check.specRef ? " · " : null}
              {check.specRef ? (
                <a href={specHref(check.specRef)} target="_blank" rel="noreferrer">
                  Spec: {check.specRef}
                </a>
              ) : null}
            </p>
          ) : null}
          <p className="muted small">{check.durationMs} ms</p>
        </div>
      </details>
    </li>
  );
}

/** Checks grouped by their area (in the order the areas first ran), or null when none has one. */
function byArea(checks: CheckResult[]): Array<[string, CheckResult[]]> | null {
  if (!checks.some((c) => c.area)) return null;
  const groups = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const area = check.area ?? OTHER_AREA;
    groups.set(area, [...(groups.get(area) ?? []), check]);
  }
  return [...groups];
}

/** The readiness score and, per area, how many checks passed (labs whose checks carry areas). */
function ReadinessSummary({ summary }: { summary: Readiness }) {
  return (
    <div className="readiness" data-testid="readiness" data-score={summary.score}>
      <p>
        <strong>Readiness {summary.score}/100</strong>{" "}
        <span className="muted small">(each area weighs the same; 100 when every check passes)</span>
      </p>
      <ul className="readiness-areas">
        {summary.areas.map((a) => (
          <li key={a.area} data-area={a.area} className={a.passed === a.total ? "area-ok" : "area-short"}>
            {a.area} {a.passed}/{a.total}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ResultsView({ run, detail }: { run: LiveRun | null; detail: SubmissionDetail | null }) {
  const result = detail?.result ?? null;
  if (!run && !detail)
    return (
      <p className="muted" data-testid="results-empty">
        Press <strong>Run checks</strong> (Ctrl/Cmd+Enter) to grade your code, or <strong>Submit</strong> when
        it passes. Nothing you run here is lost: every run is in the history.
      </p>
    );
  const live = run && run.state !== "finished" ? run : null;
  const checks = result?.checks ?? run?.checks ?? [];
  const finished = run?.finished ?? null;
  const status = result?.status ?? finished?.status ?? null;
  const verdict = result?.verdict ?? finished?.verdict ?? detail?.verdict ?? null;
  const score = result?.score ?? finished?.score ?? detail?.score ?? null;
  const maxScore = result?.maxScore ?? finished?.maxScore ?? detail?.maxScore ?? null;
  const message = detail?.message ?? finished?.message ?? null;
  const present = checks.filter((c): c is CheckResult => c !== null);
  const groups = byArea(present);
  // Once the run is over: the stored summary, or the same sum over the streamed checks.
  const summary = status ? (result?.readiness ?? readiness(present)) : undefined;
  const pending = live?.current ? (
    <li key="current" className="check check-pending" data-status="running">
      <span className="check-icon" aria-hidden="true">
        …
      </span>{" "}
      {live.current.title}
    </li>
  ) : null;
  return (
    <div className="results" data-testid="results">
      {live ? (
        <p className="progress-line" data-testid="run-progress" aria-live="polite">
          <span className="spinner" aria-hidden="true" /> {describeProgress(live)}
          {live.retrying ? <span className="muted"> — {live.retrying}</span> : null}
        </p>
      ) : null}
      {status ? (
        <div className={`score score-${status}`} data-testid="score" data-verdict={verdict ?? ""}>
          <p className="result">
            {status === "pass" ? "Passed" : status === "fail" ? "Not passed yet" : "Not graded"}
            {score !== null && maxScore ? ` — ${score}/${maxScore} checks` : ""}
            {detail?.kind === "submit" ? " (submitted)" : ""}
          </p>
          {message ? <p data-testid="verdict-message">{message}</p> : null}
          {summary ? <ReadinessSummary summary={summary} /> : null}
        </div>
      ) : null}
      {groups ? (
        <div className="checks-by-area" data-testid="checks">
          {groups.map(([area, list]) => (
            <section key={area} className="check-area" data-area={area}>
              <h3>
                {area}{" "}
                <span className="muted small">
                  {list.filter((c) => c.status === "pass").length}/{list.length} passed
                </span>
              </h3>
              <ol className="checks">
                {list.map((check) => (
                  <CheckItem key={check.id} check={check} />
                ))}
              </ol>
            </section>
          ))}
          {pending ? <ol className="checks">{pending}</ol> : null}
        </div>
      ) : (
        <ol className="checks" data-testid="checks">
          {present.map((check) => (
            <CheckItem key={check.id} check={check} />
          ))}
          {pending}
        </ol>
      )}
    </div>
  );
}

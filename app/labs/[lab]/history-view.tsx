"use client";
// The learner's submissions of this lab with status and score, and a line diff between any two. The
// newest page is listed first; "Show older runs" lists the next (any two of all of them compare).
import { useState } from "react";
import { diffFiles, type FileDiff } from "@/lib/submissions/diff.ts";
import type { SubmissionDetail, SubmissionSummary } from "@/lib/submissions/queries.ts";
import { api } from "./api-client.ts";

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function outcome(s: SubmissionSummary): string {
  if (s.status === "queued") return "queued";
  if (s.status === "running") return "grading…";
  if (s.verdict === "infra-error") return "not graded (does not count)";
  if (s.verdict === "passed") return "passed";
  return s.verdict ?? s.status;
}

function DiffView({
  diffs,
  older,
  newer,
}: {
  diffs: FileDiff[];
  older: SubmissionSummary;
  newer: SubmissionSummary;
}) {
  const changed = diffs.filter((d) => d.change !== "unchanged");
  return (
    <div className="diff" data-testid="diff">
      <p>
        From <strong>{when(older.createdAt)}</strong> ({outcome(older)}) to{" "}
        <strong>{when(newer.createdAt)}</strong> ({outcome(newer)}):{" "}
        {changed.length === 0
          ? "no changes."
          : `${changed.length} file${changed.length > 1 ? "s" : ""} changed.`}
      </p>
      {changed.map((file) => (
        <section key={file.path} className="diff-file">
          <h4>
            {file.path}{" "}
            <span className="muted">
              ({file.change}, +{file.added} −{file.removed})
            </span>
          </h4>
          {file.hunks.map((hunk) => (
            <pre key={`${hunk.oldStart}-${hunk.newStart}`} className="diff-hunk">
              <span className="diff-meta">
                @@ −{hunk.oldStart} +{hunk.newStart} @@{"\n"}
              </span>
              {hunk.lines.map((line, i) => (
                <span
                  // biome-ignore lint/suspicious/noArrayIndexKey: lines of one hunk never reorder
                  key={i}
                  className={
                    line.op === "insert" ? "diff-add" : line.op === "delete" ? "diff-del" : "diff-eq"
                  }
                >
                  {line.op === "insert" ? "+ " : line.op === "delete" ? "- " : "  "}
                  {line.text}
                  {"\n"}
                </span>
              ))}
            </pre>
          ))}
        </section>
      ))}
    </div>
  );
}

export function HistoryView({
  history,
  more,
  onMore,
  onShow,
  onRestore,
}: {
  history: SubmissionSummary[];
  /** Older runs exist beyond those listed. */
  more: boolean;
  /** Lists the next page of older runs. */
  onMore: () => Promise<void>;
  onShow: (id: string) => void;
  onRestore: (detail: SubmissionDetail) => void;
}) {
  const [loadingMore, setLoadingMore] = useState(false);
  const showOlder = async () => {
    setLoadingMore(true);
    try {
      await onMore();
    } finally {
      setLoadingMore(false);
    }
  };
  const [selected, setSelected] = useState<string[]>([]);
  const [diff, setDiff] = useState<{
    diffs: FileDiff[];
    older: SubmissionSummary;
    newer: SubmissionSummary;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = (id: string) =>
    setSelected((current) =>
      current.includes(id) ? current.filter((x) => x !== id) : [...current, id].slice(-2),
    );

  const compare = async () => {
    setError(null);
    const [a, b] = await Promise.all(selected.map((id) => api<SubmissionDetail>(`/api/submissions/${id}`)));
    if (!a.ok || !b.ok) {
      setError((!a.ok ? a.error.message : !b.ok ? b.error.message : null) ?? "Could not load them.");
      return;
    }
    const [older, newer] = a.data.createdAt <= b.data.createdAt ? [a.data, b.data] : [b.data, a.data];
    setDiff({ diffs: diffFiles(older.files, newer.files), older, newer });
  };

  const restore = async (id: string) => {
    const answer = await api<SubmissionDetail>(`/api/submissions/${id}`);
    if (answer.ok) onRestore(answer.data);
    else setError(answer.error.message);
  };

  if (history.length === 0)
    return <p className="muted">No runs yet. Your runs and submissions will be listed here.</p>;
  return (
    <div className="history">
      <p className="muted small">Pick two runs to compare their code.</p>
      <table className="data" data-testid="history">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Compare</span>
            </th>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">Language</th>
            <th scope="col">Result</th>
            <th scope="col">Score</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {history.map((s) => (
            <tr key={s.id} data-submission={s.id} data-status={s.status} data-verdict={s.verdict ?? ""}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Compare the run of ${when(s.createdAt)}`}
                  checked={selected.includes(s.id)}
                  onChange={() => toggle(s.id)}
                />
              </td>
              <td>{when(s.createdAt)}</td>
              <td>
                {s.kind === "submit" ? "submit" : "run"}
                {s.regradeOf ? <span className="badge">regrade</span> : null}
              </td>
              <td>{s.lang}</td>
              <td>{outcome(s)}</td>
              <td>{s.score !== null && s.maxScore ? `${s.score}/${s.maxScore}` : "—"}</td>
              <td className="actions">
                <button type="button" className="button small secondary" onClick={() => onShow(s.id)}>
                  View
                </button>{" "}
                <button type="button" className="button small secondary" onClick={() => void restore(s.id)}>
                  Restore code
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more ? (
        <p className="muted small" data-testid="history-more">
          Showing your {history.length} most recent runs.{" "}
          <button
            type="button"
            className="button small secondary"
            disabled={loadingMore}
            onClick={() => void showOlder()}
          >
            Show older runs
          </button>
        </p>
      ) : null}
      <p>
        <button
          type="button"
          className="button small"
          disabled={selected.length !== 2}
          onClick={() => void compare()}
        >
          Compare selected
        </button>
      </p>
      {error ? <p className="error">{error}</p> : null}
      {diff ? <DiffView {...diff} /> : null}
    </div>
  );
}

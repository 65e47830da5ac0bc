"use client";
// The lab workspace: the editor with the lab's files as tabs, a language switch, reset to starter
// (asks first, can be undone), server-side autosave, Run checks / Submit (Ctrl/Cmd+Enter runs), the
// streamed results, trace and stderr, the history with diffs, the playground and the local commands.
import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { LocalCommands } from "@/lib/labs/local-commands.ts";
import type { HistoryPage, SubmissionDetail, SubmissionSummary } from "@/lib/submissions/queries.ts";
import { api } from "./api-client.ts";
import { ResultsView } from "./results-view.tsx";
import { type Kind, useGrading } from "./use-grading.ts";

// Only the toolbar and the results are in the page's first load; the editor (Monaco, from our own
// server) and the other panels load when they are first needed.
const CodeEditor = dynamic(() => import("./code-editor.tsx"), {
  ssr: false,
  loading: () => <p className="muted editor-loading">Loading the editor…</p>,
});
const loadingPanel = () => <p className="muted">Loading…</p>;
const TraceView = dynamic(() => import("./trace-view.tsx").then((m) => m.TraceView), {
  loading: loadingPanel,
});
const StderrView = dynamic(() => import("./trace-view.tsx").then((m) => m.StderrView), {
  loading: loadingPanel,
});
const HistoryView = dynamic(() => import("./history-view.tsx").then((m) => m.HistoryView), {
  loading: loadingPanel,
});
const PlaygroundView = dynamic(() => import("./playground-view.tsx").then((m) => m.PlaygroundView), {
  ssr: false,
  loading: loadingPanel,
});

type Lang = "python" | "typescript";
type Files = Record<string, string>;
type Tab = "results" | "trace" | "stderr" | "history" | "playground" | "local";

const LANG_LABEL: Record<Lang, string> = { python: "Python", typescript: "TypeScript" };
const AUTOSAVE_MS = 800;

export interface WorkspaceProps {
  labId: string;
  transport: "stdio" | "http";
  /** A test-suite lab grades the learner's tests against our server: there is nothing to play with. */
  kind: "server" | "test-suite";
  languages: Lang[];
  entries: Record<Lang, string>;
  starters: Partial<Record<Lang, Files>>;
  drafts: Array<{ lang: Lang; files: Files; updatedAt: string }>;
  /** The first page of the history, newest first, and whether older runs exist. */
  history: SubmissionSummary[];
  historyMore: boolean;
  commands: Partial<Record<Lang, LocalCommands>>;
  monacoPath: string;
  outputKb: number;
}

function orderedPaths(files: Files, entry: string): string[] {
  return Object.keys(files).sort((a, b) => (a === entry ? -1 : b === entry ? 1 : a.localeCompare(b)));
}

type SaveState = "saved" | "dirty" | "saving" | "error";

export function Workspace(props: WorkspaceProps) {
  const initial = useMemo(() => {
    const files: Partial<Record<Lang, Files>> = {};
    for (const lang of props.languages) files[lang] = { ...(props.starters[lang] ?? {}) };
    for (const draft of props.drafts)
      if (props.languages.includes(draft.lang)) files[draft.lang] = { ...draft.files };
    return files;
  }, [props.languages, props.starters, props.drafts]);
  const [lang, setLang] = useState<Lang>(props.drafts[0]?.lang ?? props.languages[0]);
  const [files, setFiles] = useState<Partial<Record<Lang, Files>>>(initial);
  const [active, setActive] = useState<Partial<Record<Lang, string>>>({});
  const [save, setSave] = useState<SaveState>("saved");
  const [saveError, setSaveError] = useState<string | null>(null);
  const [undo, setUndo] = useState<{ lang: Lang; files: Files; label: string } | null>(null);
  const [tab, setTab] = useState<Tab>("results");
  // Mounted on first visit, then kept while hidden: the session keeps running on the server.
  const [playgroundOpened, setPlaygroundOpened] = useState(false);
  const [{ items: history, more: historyMore }, setHistoryState] = useState({
    items: props.history,
    more: props.historyMore,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const dirty = useRef<Set<Lang>>(new Set());

  const current = files[lang] ?? {};
  const paths = orderedPaths(current, props.entries[lang]);
  const activePath = active[lang] && active[lang]! in current ? active[lang]! : paths[0];

  // ---- autosave (server-side drafts) ----
  const filesRef = useRef(files);
  filesRef.current = files;
  const saveNow = useCallback(
    async (which: Lang) => {
      dirty.current.delete(which);
      setSave("saving");
      const answer = await api(`/api/labs/${props.labId}/draft`, {
        method: "PUT",
        body: JSON.stringify({ lang: which, files: filesRef.current[which] ?? {} }),
      });
      if (answer.ok) {
        setSaveError(null);
        setSave(dirty.current.size ? "dirty" : "saved");
      } else {
        dirty.current.add(which);
        setSave("error");
        setSaveError(answer.error.message);
      }
    },
    [props.labId],
  );
  useEffect(() => {
    if (save !== "dirty") return;
    const timer = setTimeout(() => {
      for (const which of [...dirty.current]) void saveNow(which);
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [save, saveNow]);
  useEffect(() => {
    // Leaving the page with unsaved edits: one last save that the browser sends even as it unloads.
    const flush = () => {
      for (const which of dirty.current) {
        const blob = new Blob([JSON.stringify({ lang: which, files: filesRef.current[which] ?? {} })], {
          type: "application/json",
        });
        navigator.sendBeacon(`/api/labs/${props.labId}/draft`, blob);
      }
      dirty.current.clear();
    };
    window.addEventListener("pagehide", flush);
    return () => window.removeEventListener("pagehide", flush);
  }, [props.labId]);

  const setLangFiles = useCallback((which: Lang, next: Files) => {
    setFiles((all) => ({ ...all, [which]: next }));
    dirty.current.add(which);
    setSave("dirty");
  }, []);

  const onEdit = useCallback(
    (value: string) => {
      if (!activePath) return;
      const now = filesRef.current[lang] ?? {};
      if (now[activePath] === value) return;
      setLangFiles(lang, { ...now, [activePath]: value });
    },
    [activePath, lang, setLangFiles],
  );

  // ---- reset / restore, both undoable ----
  const replaceFiles = (next: Files, label: string) => {
    setUndo({ lang, files: { ...current }, label });
    setLangFiles(lang, { ...next });
  };
  const resetToStarter = () => {
    if (
      !window.confirm(
        `Replace your ${LANG_LABEL[lang]} code with the starter files? You can undo this with “Undo reset”.`,
      )
    )
      return;
    replaceFiles(props.starters[lang] ?? {}, "reset");
  };
  const onRestore = (detail: SubmissionDetail) => {
    const target = detail.lang === "typescript" ? "typescript" : "python";
    if (target !== lang) setLang(target);
    setUndo({ lang: target, files: { ...(filesRef.current[target] ?? {}) }, label: "restore" });
    setLangFiles(target, { ...detail.files });
    setNotice(`Restored the code of the run from ${new Date(detail.createdAt).toLocaleString()}.`);
  };
  const undoReplace = () => {
    if (!undo) return;
    if (undo.lang !== lang) setLang(undo.lang);
    setLangFiles(undo.lang, undo.files);
    setUndo(null);
  };

  // ---- grading ----
  const refreshHistory = useCallback(async () => {
    const answer = await api<HistoryPage>(`/api/labs/${props.labId}/submissions`);
    if (!answer.ok) return;
    const page = answer.data;
    setHistoryState((current) => {
      // Older pages the learner opened stay listed below the fresh first page.
      const fresh = new Set(page.submissions.map((s) => s.id));
      const last = page.submissions.at(-1);
      const older = last ? current.items.filter((s) => !fresh.has(s.id) && s.createdAt < last.createdAt) : [];
      return { items: [...page.submissions, ...older], more: older.length ? current.more : page.more };
    });
  }, [props.labId]);
  const loadOlderHistory = useCallback(async () => {
    const last = history.at(-1);
    if (!last) return;
    const answer = await api<HistoryPage>(
      `/api/labs/${props.labId}/submissions?before=${encodeURIComponent(last.id)}`,
    );
    if (!answer.ok) {
      setNotice(answer.error.message);
      return;
    }
    setHistoryState((current) => {
      const known = new Set(current.items.map((s) => s.id));
      return {
        items: [...current.items, ...answer.data.submissions.filter((s) => !known.has(s.id))],
        more: answer.data.more,
      };
    });
  }, [history, props.labId]);
  const grading = useGrading(
    props.labId,
    useCallback(
      (done: SubmissionSummary) => {
        void refreshHistory();
        if (done.kind === "submit" && done.verdict === "passed")
          setNotice("Lab passed. It counts toward your certificate.");
      },
      [refreshHistory],
    ),
  );
  const run = useCallback(
    (kind: Kind) => {
      if (grading.busy) return;
      setNotice(null);
      setTab("results");
      void grading.start(kind, lang, filesRef.current[lang] ?? {}).then(() => void refreshHistory());
    },
    [grading, lang, refreshHistory],
  );
  const runChecks = useCallback(() => run("run"), [run]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
      // Inside the editor, Monaco's own command handles it.
      if (event.target instanceof Element && event.target.closest(".monaco-editor")) return;
      event.preventDefault();
      runChecks();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [runChecks]);

  const showSubmission = (id: string) => {
    setTab("results");
    void grading.show(id);
  };

  const result = grading.detail?.result ?? null;
  const trace = result?.trace ?? grading.run?.trace ?? [];
  const traceTruncated = result?.traceTruncated ?? grading.run?.traceTruncated ?? false;
  const stderr = result?.stderr ?? grading.run?.stderr ?? "";
  const stderrTruncated = (result?.stderrTruncated ?? false) || (grading.run?.stderrTruncated ?? false);
  const commands = props.commands[lang];

  const tabs: Array<{ id: Tab; label: string }> = [
    { id: "results", label: "Results" },
    { id: "trace", label: `Trace${trace.length ? ` (${trace.length})` : ""}` },
    // A test-suite lab's stderr tab holds the test runner's output, not a server's.
    { id: "stderr", label: props.kind === "server" ? "stderr" : "Test output" },
    { id: "history", label: `History (${history.length}${historyMore ? "+" : ""})` },
    ...(props.kind === "server" ? [{ id: "playground" as const, label: "Playground" }] : []),
    { id: "local", label: "Run it locally" },
  ];

  return (
    <section className="workspace" aria-label="Workspace">
      <div className="toolbar">
        <label>
          <span className="sr-only">Language</span>
          <select
            aria-label="Language"
            value={lang}
            onChange={(e) => setLang(e.target.value as Lang)}
            data-testid="language"
          >
            {props.languages.map((l) => (
              <option key={l} value={l}>
                {LANG_LABEL[l]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button small secondary" onClick={resetToStarter}>
          Reset to starter
        </button>
        {undo && undo.lang === lang ? (
          <button type="button" className="button small secondary" onClick={undoReplace}>
            Undo {undo.label}
          </button>
        ) : null}
        <span
          className="save-state muted small"
          data-testid="save-state"
          data-state={save}
          aria-live="polite"
        >
          {save === "saved"
            ? "Saved"
            : save === "saving"
              ? "Saving…"
              : save === "dirty"
                ? "Unsaved changes"
                : "Not saved"}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="button small secondary"
          onClick={() => run("run")}
          disabled={grading.busy}
          title="Ctrl/Cmd+Enter"
        >
          Run checks
        </button>
        <button type="button" className="button small" onClick={() => run("submit")} disabled={grading.busy}>
          Submit
        </button>
      </div>
      {saveError ? <p className="error small">Your draft is not saved: {saveError}</p> : null}
      <div className="file-tabs" role="tablist" aria-label="Files">
        {paths.map((path) => (
          <button
            key={path}
            type="button"
            role="tab"
            aria-selected={path === activePath}
            className={path === activePath ? "file-tab active" : "file-tab"}
            onClick={() => setActive((all) => ({ ...all, [lang]: path }))}
          >
            {path}
          </button>
        ))}
      </div>
      <div className="editor-frame" data-testid="editor">
        {activePath ? (
          <CodeEditor
            monacoPath={props.monacoPath}
            path={`${lang}/${activePath}`}
            language={lang}
            value={current[activePath] ?? ""}
            onChange={onEdit}
            onRun={runChecks}
          />
        ) : (
          <p className="muted">This language has no files.</p>
        )}
      </div>
      {grading.error ? (
        <p className="error" role="alert" data-testid="grading-error">
          {grading.error}
        </p>
      ) : null}
      {notice ? (
        <p className="notice" data-testid="notice">
          {notice}
        </p>
      ) : null}
      <div className="panel-tabs" role="tablist" aria-label="Results">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? "panel-tab active" : "panel-tab"}
            onClick={() => {
              setTab(t.id);
              if (t.id === "playground") setPlaygroundOpened(true);
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="panel" role="tabpanel">
        {tab === "results" ? <ResultsView run={grading.run} detail={grading.detail} /> : null}
        {tab === "trace" ? <TraceView trace={trace} truncated={traceTruncated} /> : null}
        {tab === "stderr" ? (
          <StderrView stderr={stderr} truncated={stderrTruncated} outputKb={props.outputKb} />
        ) : null}
        {tab === "history" ? (
          <HistoryView
            history={history}
            more={historyMore}
            onMore={loadOlderHistory}
            onShow={showSubmission}
            onRestore={onRestore}
          />
        ) : null}
        {playgroundOpened ? (
          <div hidden={tab !== "playground"}>
            <PlaygroundView
              labId={props.labId}
              lang={lang}
              files={() => filesRef.current[lang] ?? {}}
              outputKb={props.outputKb}
            />
          </div>
        ) : null}
        {tab === "local" && commands ? (
          <div className="local" data-testid="local-commands">
            <p>
              The same checks with the same pinned versions, in a checkout of the MCP Lab repository (
              <code>npm run setup</code> once):
            </p>
            <pre>{commands.repo.join("\n")}</pre>
            <p>On your own machine, outside the repository:</p>
            <pre>{commands.ownMachine.join("\n")}</pre>
          </div>
        ) : null}
      </div>
    </section>
  );
}

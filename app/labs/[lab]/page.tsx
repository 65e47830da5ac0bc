import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.ts";
import { allLessons } from "@/lib/course/catalog.ts";
import { renderMarkdown } from "@/lib/course/render.ts";
import { db } from "@/lib/db/client.ts";
import { entryFile, getLab, type LabLanguage } from "@/lib/labs/catalog.ts";
import { devEnvironmentOf } from "@/lib/labs/dev-environment.ts";
import { draftsFor } from "@/lib/labs/drafts.ts";
import { describeLimits } from "@/lib/labs/limits.ts";
import { localCommands, pinnedVersions } from "@/lib/labs/local-commands.ts";
import { MONACO_VS_PATH } from "@/lib/labs/monaco-assets.ts";
import { labStatuses, submissionHistory } from "@/lib/submissions/queries.ts";
import { LabStatusBadge } from "../lab-status-badge.tsx";
import { Workspace } from "./workspace.tsx";

type Params = { params: Promise<{ lab: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lab = await getLab((await params).lab);
  return { title: lab ? `Lab: ${lab.id}` : "Lab not found" };
}

export default async function LabPage({ params }: Params) {
  const { lab: labId } = await params;
  const user = await requireUser(`/labs/${encodeURIComponent(labId)}`);
  const lab = await getLab(labId);
  if (!lab) notFound();
  const [readme, drafts, history, versions, devEnvironment, statuses] = await Promise.all([
    renderMarkdown(`lab:${lab.id}`, lab.readme),
    draftsFor(db(), user.id, lab.id),
    submissionHistory(db(), user.id, lab.id),
    pinnedVersions(),
    devEnvironmentOf(lab.id),
    labStatuses(db(), user.id),
  ]);
  const lessons = new Map(allLessons().map((lesson) => [lesson.id, lesson]));
  const entries = Object.fromEntries(lab.languages.map((lang) => [lang, entryFile(lab, lang)])) as Record<
    LabLanguage,
    string
  >;
  const local = {
    id: lab.id,
    kind: lab.kind,
    transport: lab.transport,
    httpPath: lab.config.httpPath,
    devEnvironment,
  };
  const commands = Object.fromEntries(
    lab.languages.map((lang) => [lang, localCommands(local, lang, entries[lang], versions)]),
  );
  return (
    <div className="lab-page">
      <p className="crumbs">
        <Link href="/course">Course</Link> / <Link href="/labs">Labs</Link> / Module {lab.module}
      </p>
      <h1>
        {lab.title}
        {/* From all of this learner's submissions, not only the first page of the history. */}
        <LabStatusBadge status={statuses.get(lab.id) ?? "not-started"} />
      </h1>
      <div className="lab-columns">
        <aside className="lab-task" aria-label="Task">
          <details className="lab-limits" open data-testid="lab-limits">
            <summary>Limits of every run</summary>
            <table className="data">
              <tbody>
                {describeLimits(lab.limits).map((row) => (
                  <tr key={row.label}>
                    <th scope="row">{row.label}</th>
                    <td>{row.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small">
              Graded with Python {versions.python} + mcp {versions.mcp}, Node {versions.node} +
              @modelcontextprotocol/sdk {versions.sdk}. No network; a fresh directory each run.
            </p>
          </details>
          {lab.config.lessons.length ? (
            <p className="small">
              Lessons:{" "}
              {lab.config.lessons.map((id, i) => (
                <span key={id}>
                  {i ? ", " : ""}
                  <Link href={`/course/${id}`}>{lessons.get(id)?.title ?? id}</Link>
                </span>
              ))}
            </p>
          ) : null}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: HTML rendered on the server from our own labs/ files */}
          <div className="prose lab-readme" dangerouslySetInnerHTML={{ __html: readme }} />
        </aside>
        <Workspace
          labId={lab.id}
          transport={lab.transport}
          kind={lab.kind}
          languages={lab.languages}
          entries={entries}
          starters={lab.starters}
          drafts={drafts.map((d) => ({ lang: d.lang, files: d.files, updatedAt: d.updatedAt.toISOString() }))}
          history={history.submissions}
          historyMore={history.more}
          commands={commands}
          monacoPath={MONACO_VS_PATH}
          outputKb={lab.limits.outputKb}
        />
      </div>
    </div>
  );
}

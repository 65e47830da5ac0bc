import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { cellText } from "@/lib/gradebook/cells.ts";
import { type GradebookQuery, loadGradebook, pageOfRows } from "@/lib/gradebook/gradebook.ts";
import { listLabs } from "@/lib/labs/catalog.ts";
import { StatusBadge } from "./status-badge.tsx";

export const metadata: Metadata = { title: "Gradebook" };

type Search = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function queryString(query: Partial<GradebookQuery>): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.sort && query.sort !== "name") params.set("sort", query.sort);
  if (query.dir && query.dir !== "asc") params.set("dir", query.dir);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A column header that sorts by it; a second click reverses the order. */
function SortHeader({ query, sortKey, label }: { query: GradebookQuery; sortKey: string; label: string }) {
  const active = query.sort === sortKey;
  const dir = active && query.dir === "asc" ? "desc" : "asc";
  return (
    <Link
      className="gb-sort"
      href={`/instructor${queryString({ q: query.q, sort: sortKey, dir })}`}
      aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}
      data-sort-key={sortKey}
    >
      {label}
      {active ? (query.dir === "asc" ? " ▲" : " ▼") : ""}
    </Link>
  );
}

/** The gradebook: learners × required labs and quizzes (course/course.yaml), best standing per cell. */
export default async function GradebookPage({ searchParams }: Search) {
  await requireUser("/instructor", "instructor");
  const raw = await searchParams;
  const [book, allLabs] = await Promise.all([
    loadGradebook(db(), {
      q: first(raw.q),
      sort: first(raw.sort),
      dir: first(raw.dir),
      page: first(raw.page),
    }),
    listLabs(),
  ]);
  const { query } = book;
  const shown = pageOfRows(book.rows, query.page);
  const labs = book.columns.filter((column) => column.kind === "lab");
  return (
    <section>
      <h1>Gradebook</h1>
      <p className="muted" data-testid="gradebook-summary">
        {book.rows.length === book.learnersTotal
          ? `${book.learnersTotal} learner${book.learnersTotal === 1 ? "" : "s"}`
          : `${book.rows.length} of ${book.learnersTotal} learners match “${query.q}”`}{" "}
        · {book.columns.length} requirements for the certificate · {book.lessonsTotal} lessons
      </p>
      <form className="gb-toolbar" method="get" action="/instructor">
        <label>
          <span className="sr-only">Filter by name or email</span>
          <input type="search" name="q" defaultValue={query.q} placeholder="Filter by name or email" />
        </label>
        {query.sort !== "name" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.dir !== "asc" ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <button type="submit" className="button small secondary">
          Filter
        </button>
        <a
          className="button small"
          href={`/api/instructor/gradebook.csv${queryString({ ...query, page: 1 })}`}
          download
        >
          Export CSV
        </a>
      </form>
      <p data-testid="lab-links">
        Labs (statistics and regrade · preview as a learner):{" "}
        {allLabs.map((lab, index) => (
          <span key={lab.id}>
            {index > 0 ? " · " : null}
            <Link href={`/instructor/labs/${lab.id}`}>{lab.id}</Link> (
            <Link href={`/labs/${lab.id}`}>preview</Link>)
          </span>
        ))}
      </p>
      <div className="gb-scroll">
        <table className="data gb-grid" data-testid="gradebook">
          <thead>
            <tr>
              <td colSpan={5} />
              <th scope="colgroup" className="gb-group" colSpan={labs.length}>
                Labs
              </th>
              <th scope="colgroup" className="gb-group" colSpan={book.columns.length - labs.length}>
                Quizzes
              </th>
            </tr>
            <tr>
              <th scope="col">
                <SortHeader query={query} sortKey="name" label="Learner" />
              </th>
              <th scope="col">
                <SortHeader query={query} sortKey="email" label="Email" />
              </th>
              <th scope="col">
                <SortHeader query={query} sortKey="lessons" label="Lessons" />
              </th>
              <th scope="col">
                <SortHeader query={query} sortKey="requirements" label="Passed" />
              </th>
              <th scope="col">
                <SortHeader query={query} sortKey="certificate" label="Certificate" />
              </th>
              {book.columns.map((column) => (
                <th scope="col" key={column.key} className="gb-col" title={column.title}>
                  <SortHeader query={query} sortKey={column.key} label={column.id} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((row) => (
              <tr key={row.id} data-learner={row.email}>
                <th scope="row">
                  <Link href={`/instructor/learners/${row.id}`}>{row.name ?? "—"}</Link>
                </th>
                <td>{row.email}</td>
                <td>
                  {row.lessonsCompleted} / {book.lessonsTotal}
                </td>
                <td data-testid="requirements-met">
                  {row.requirementsMet} / {book.columns.length}
                </td>
                <td>{row.certificate ?? "—"}</td>
                {book.columns.map((column) => {
                  const cell = row.cells[column.key];
                  return (
                    <td key={column.key} className="gb-cell" data-column={column.key} title={cellText(cell)}>
                      <StatusBadge status={cell.status} />
                      {cell.best ? (
                        <div className="muted">
                          {cell.best.score}/{cell.best.maxScore}
                          {cell.attempts ? ` · ${cell.attempts}×` : ""}
                        </div>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {book.rows.length === 0 ? <p className="muted">No learners to show.</p> : null}
      {shown.pages > 1 ? (
        <nav className="gb-pages" data-testid="gradebook-pages">
          {shown.page > 1 ? (
            <Link href={`/instructor${queryString({ ...query, page: shown.page - 1 })}`}>← previous</Link>
          ) : null}{" "}
          Page {shown.page} of {shown.pages} (the CSV export has every learner){" "}
          {shown.page < shown.pages ? (
            <Link href={`/instructor${queryString({ ...query, page: shown.page + 1 })}`}>next →</Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

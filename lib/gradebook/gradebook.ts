import "server-only";
// The gradebook: every learner against every required lab and quiz, best standing per cell, with a
// name/email filter and a sort by any column. The page and the CSV export read the same rows.
import { z } from "zod";
import { allLessons } from "../course/catalog.ts";
import type { Db } from "../db/client.ts";
import {
  type AttemptFacts,
  type Cell,
  cellSortValue,
  labCell,
  quizCell,
  type SubmissionFacts,
} from "./cells.ts";
import { type GradebookColumn, gradebookColumns, labColumnKey, quizColumnKey } from "./columns.ts";

/** Columns that are not a lab or quiz. */
export const FIXED_SORT_KEYS = ["name", "email", "requirements", "lessons", "certificate"] as const;

/** ?q=&sort=&dir= — unknown values fall back to defaults rather than failing the page. */
export const gradebookQuerySchema = z.object({
  q: z.string().trim().max(200).catch("").default(""),
  sort: z.string().max(100).catch("name").default("name"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  /** The page shows GRADEBOOK_PAGE_SIZE rows at a time; the CSV export ignores it and has every row. */
  page: z.coerce.number().int().min(1).catch(1).default(1),
});
export type GradebookQuery = z.infer<typeof gradebookQuerySchema>;

export interface GradebookRow {
  id: string;
  name: string | null;
  email: string;
  lessonsCompleted: number;
  /** Required labs and quizzes passed. */
  requirementsMet: number;
  certificate: "issued" | "revoked" | null;
  cells: Record<string, Cell>;
}

export interface Gradebook {
  columns: GradebookColumn[];
  rows: GradebookRow[];
  lessonsTotal: number;
  /** Learners before the filter. */
  learnersTotal: number;
  query: GradebookQuery;
}

/** Rows per gradebook page: the table stays readable and light at any course size. */
export const GRADEBOOK_PAGE_SIZE = 100;

/** One page of rows, 1-based; a page past the end shows the last page. */
export function pageOfRows<T>(rows: T[], page: number, size = GRADEBOOK_PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { rows: rows.slice((current - 1) * size, current * size), page: current, pages };
}

export function filterRows(rows: GradebookRow[], q: string): GradebookRow[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter(
    (row) => row.email.toLowerCase().includes(needle) || (row.name ?? "").toLowerCase().includes(needle),
  );
}

function sortValue(row: GradebookRow, key: string): string | number {
  switch (key) {
    case "email":
      return row.email.toLowerCase();
    case "requirements":
      return row.requirementsMet;
    case "lessons":
      return row.lessonsCompleted;
    case "certificate":
      return row.certificate === "issued" ? 2 : row.certificate === "revoked" ? 1 : 0;
    case "name":
      return (row.name ?? row.email).toLowerCase();
    default: {
      const cell = row.cells[key];
      return cell ? cellSortValue(cell) : 0;
    }
  }
}

/** A stable sort by one column; ties keep name order. Unknown keys sort by name. */
export function sortRows(rows: GradebookRow[], columns: GradebookColumn[], query: GradebookQuery) {
  const known = new Set<string>([...FIXED_SORT_KEYS, ...columns.map((column) => column.key)]);
  const key = known.has(query.sort) ? query.sort : "name";
  const sign = query.dir === "desc" ? -1 : 1;
  const byName = (a: GradebookRow, b: GradebookRow) =>
    (a.name ?? a.email).localeCompare(b.name ?? b.email) || a.email.localeCompare(b.email);
  return [...rows].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    const order =
      typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
    return order !== 0 ? sign * order : byName(a, b);
  });
}

function groupBy<T extends { userId: string }>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = `${row.userId}\u0000${key(row)}`;
    const list = groups.get(id);
    if (list) list.push(row);
    else groups.set(id, [row]);
  }
  return groups;
}

export async function loadGradebook(db: Db, rawQuery: unknown = {}): Promise<Gradebook> {
  const query = gradebookQuerySchema.parse(rawQuery ?? {});
  const columns = await gradebookColumns();
  const labIds = columns.filter((column) => column.kind === "lab").map((column) => column.id);
  const quizIds = columns.filter((column) => column.kind === "quiz").map((column) => column.id);
  const knownLessons = new Set(allLessons().map((lesson) => lesson.id));
  const [learners, submissions, attempts] = await Promise.all([
    db.user.findMany({
      where: { role: "learner" },
      select: {
        id: true,
        name: true,
        email: true,
        lessonProgress: { select: { lessonId: true } },
        certificate: { select: { revokedAt: true } },
      },
    }),
    db.submission.findMany({
      where: { labId: { in: labIds }, user: { role: "learner" } },
      select: {
        userId: true,
        labId: true,
        kind: true,
        status: true,
        verdict: true,
        score: true,
        maxScore: true,
        regradeOfId: true,
      },
    }),
    db.quizAttempt.findMany({
      where: { quizId: { in: quizIds }, user: { role: "learner" } },
      select: { userId: true, quizId: true, status: true, passed: true, score: true, maxScore: true },
    }),
  ]);
  const byLab = groupBy(submissions, (row) => row.labId);
  const byQuiz = groupBy(attempts, (row) => row.quizId);
  const rows: GradebookRow[] = learners.map((learner) => {
    const cells: Record<string, Cell> = {};
    for (const labId of labIds)
      cells[labColumnKey(labId)] = labCell(
        (byLab.get(`${learner.id}\u0000${labId}`) ?? []) as SubmissionFacts[],
      );
    for (const quizId of quizIds)
      cells[quizColumnKey(quizId)] = quizCell(
        (byQuiz.get(`${learner.id}\u0000${quizId}`) ?? []) as AttemptFacts[],
      );
    return {
      id: learner.id,
      name: learner.name,
      email: learner.email,
      lessonsCompleted: learner.lessonProgress.filter((row) => knownLessons.has(row.lessonId)).length,
      requirementsMet: Object.values(cells).filter((cell) => cell.status === "passed").length,
      certificate: learner.certificate ? (learner.certificate.revokedAt ? "revoked" : "issued") : null,
      cells,
    };
  });
  return {
    columns,
    rows: sortRows(filterRows(rows, query.q), columns, query),
    lessonsTotal: knownLessons.size,
    learnersTotal: learners.length,
    query,
  };
}

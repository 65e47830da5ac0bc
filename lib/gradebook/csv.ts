// CSV for spreadsheets (RFC 4180: CRLF rows, quotes doubled inside quoted fields), safe to open in
// Excel/LibreOffice/Sheets: a field that starts with = + - @ (or a tab/CR, which some apps strip first)
// would be read as a formula, so it gets a leading apostrophe (OWASP "CSV injection").
import type { Gradebook } from "./gradebook.ts";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: Array<Array<string | number | null | undefined>>): string {
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/**
 * One row per learner: identity, progress, then status, best score (percent) and attempts per
 * requirement. Plain numbers, never "8/8", which spreadsheets turn into dates.
 */
export function gradebookCsv(gradebook: Gradebook): string {
  const header = [
    "name",
    "email",
    `lessons completed (of ${gradebook.lessonsTotal})`,
    `requirements met (of ${gradebook.columns.length})`,
    "certificate",
    ...gradebook.columns.flatMap((column) => [
      `${column.kind} ${column.id} status`,
      `${column.kind} ${column.id} best %`,
      `${column.kind} ${column.id} attempts`,
    ]),
  ];
  const rows = gradebook.rows.map((row) => [
    row.name ?? "",
    row.email,
    row.lessonsCompleted,
    row.requirementsMet,
    row.certificate ?? "none",
    ...gradebook.columns.flatMap((column) => {
      const cell = row.cells[column.key];
      return [
        cell?.status ?? "not-started",
        cell?.best?.maxScore ? Math.round((100 * cell.best.score) / cell.best.maxScore) : "",
        cell?.attempts ?? 0,
      ];
    }),
  ]);
  return toCsv([header, ...rows]);
}

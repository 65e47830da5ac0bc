// One gradebook cell: a learner's best standing on one lab or quiz, from the stored rows alone.
// Pure functions, so the rules ("best status wins", what counts as an attempt) are tested directly.

export type LabCellStatus = "passed" | "failed" | "grading" | "practice" | "not-started";
export type QuizCellStatus = "passed" | "failed" | "in-progress" | "not-started";

export interface Score {
  score: number;
  maxScore: number;
}

export interface LabCell {
  kind: "lab";
  status: LabCellStatus;
  /** Submissions the learner made with Submit (regrades and infra errors are not attempts). */
  attempts: number;
  /** Practice runs (Run), which never count for progress. */
  runs: number;
  best: Score | null;
}

export interface QuizCell {
  kind: "quiz";
  status: QuizCellStatus;
  /** Submitted attempts. */
  attempts: number;
  best: Score | null;
}

export type Cell = LabCell | QuizCell;

export interface SubmissionFacts {
  kind: string;
  status: string;
  verdict: string | null;
  score: number | null;
  maxScore: number | null;
  regradeOfId: string | null;
}

export interface AttemptFacts {
  status: string;
  passed: boolean | null;
  score: number | null;
  maxScore: number;
}

function better(a: Score | null, b: Score): Score {
  if (!a) return b;
  const ra = a.maxScore ? a.score / a.maxScore : 0;
  const rb = b.maxScore ? b.score / b.maxScore : 0;
  return rb > ra ? b : a;
}

/** A graded run that says something about the learner's code (not our own failure to grade). */
function gradedByUs(row: SubmissionFacts): boolean {
  return row.status === "done" && row.verdict !== null && row.verdict !== "infra-error";
}

export function labCell(rows: SubmissionFacts[]): LabCell {
  const submits = rows.filter((row) => row.kind === "submit");
  const runs = rows.length - submits.length;
  let best: Score | null = null;
  for (const row of submits)
    if (gradedByUs(row) && row.score !== null && row.maxScore !== null)
      best = better(best, { score: row.score, maxScore: row.maxScore });
  const attempts = submits.filter(
    (row) => row.regradeOfId === null && row.status !== "error" && row.verdict !== "infra-error",
  ).length;
  const status: LabCellStatus = submits.some((row) => gradedByUs(row) && row.verdict === "passed")
    ? "passed"
    : submits.some(gradedByUs)
      ? "failed"
      : submits.some((row) => row.status === "queued" || row.status === "running")
        ? "grading"
        : runs > 0
          ? "practice"
          : "not-started";
  return { kind: "lab", status, attempts, runs, best };
}

export function quizCell(rows: AttemptFacts[]): QuizCell {
  const submitted = rows.filter((row) => row.status === "submitted");
  let best: Score | null = null;
  for (const row of submitted) best = better(best, { score: row.score ?? 0, maxScore: row.maxScore });
  const status: QuizCellStatus = submitted.some((row) => row.passed)
    ? "passed"
    : submitted.length > 0
      ? "failed"
      : rows.length > 0
        ? "in-progress"
        : "not-started";
  return { kind: "quiz", status, attempts: submitted.length, best };
}

const RANK: Record<LabCellStatus | QuizCellStatus, number> = {
  passed: 4,
  failed: 3,
  grading: 2,
  "in-progress": 2,
  practice: 1,
  "not-started": 0,
};

/** Orders cells for sorting a column: status first, then the best score. */
export function cellSortValue(cell: Cell): number {
  const ratio = cell.best?.maxScore ? cell.best.score / cell.best.maxScore : 0;
  return RANK[cell.status] + ratio * 0.999;
}

/** The cell as a short text (page and CSV alike), e.g. "passed 8/8 (2 attempts)". */
export function cellText(cell: Cell): string {
  if (cell.status === "not-started") return "—";
  const score = cell.best ? ` ${cell.best.score}/${cell.best.maxScore}` : "";
  const attempts = cell.attempts ? ` (${cell.attempts} attempt${cell.attempts === 1 ? "" : "s"})` : "";
  if (cell.kind === "lab" && cell.status === "practice")
    return `practice (${cell.runs} run${cell.runs === 1 ? "" : "s"})`;
  return `${cell.status}${score}${attempts}`;
}

import { describe, expect, it } from "vitest";
import {
  cellSortValue,
  cellText,
  labCell,
  quizCell,
  type SubmissionFacts,
} from "../../../lib/gradebook/cells.ts";

const submit = (over: Partial<SubmissionFacts> = {}): SubmissionFacts => ({
  kind: "submit",
  status: "done",
  verdict: "checks-failed",
  score: 3,
  maxScore: 8,
  regradeOfId: null,
  ...over,
});

describe("lab cells", () => {
  it("nothing is not-started; only practice runs are practice", () => {
    expect(labCell([]).status).toBe("not-started");
    const practice = labCell([submit({ kind: "run", verdict: "passed", score: 8 })]);
    expect(practice).toMatchObject({ status: "practice", runs: 1, attempts: 0, best: null });
    expect(cellText(practice)).toBe("practice (1 run)");
  });

  it("the best status wins: one passed submit makes the cell passed whatever came after", () => {
    const cell = labCell([
      submit(),
      submit({ verdict: "passed", score: 8 }),
      submit({ verdict: "crashed", score: 0 }),
      submit({ status: "queued", verdict: null, score: null, maxScore: null }),
    ]);
    expect(cell).toMatchObject({ status: "passed", attempts: 4, best: { score: 8, maxScore: 8 } });
    expect(cellText(cell)).toBe("passed 8/8 (4 attempts)");
  });

  it("failed beats grading; grading shows while the only submit is queued", () => {
    expect(labCell([submit(), submit({ status: "running", verdict: null })]).status).toBe("failed");
    expect(labCell([submit({ status: "queued", verdict: null, score: null, maxScore: null })]).status).toBe(
      "grading",
    );
  });

  it("infra errors and regrades are not the learner's attempts, but a passing regrade passes the cell", () => {
    const cell = labCell([
      submit({ status: "error", verdict: "infra-error", score: null, maxScore: null }),
      submit(),
      submit({ regradeOfId: "x", verdict: "passed", score: 9, maxScore: 9 }),
    ]);
    expect(cell).toMatchObject({ status: "passed", attempts: 1, best: { score: 9, maxScore: 9 } });
    expect(labCell([submit({ status: "error", verdict: "infra-error" })]).status).toBe("not-started");
  });
});

describe("quiz cells", () => {
  it("passed > failed > in-progress > not-started, with the best score", () => {
    expect(quizCell([]).status).toBe("not-started");
    expect(quizCell([{ status: "open", passed: null, score: null, maxScore: 10 }]).status).toBe(
      "in-progress",
    );
    const failed = quizCell([
      { status: "submitted", passed: false, score: 4, maxScore: 10 },
      { status: "submitted", passed: false, score: 6, maxScore: 10 },
    ]);
    expect(failed).toMatchObject({ status: "failed", attempts: 2, best: { score: 6 } });
    const passed = quizCell([
      { status: "submitted", passed: false, score: 6, maxScore: 10 },
      { status: "submitted", passed: true, score: 8, maxScore: 10 },
      { status: "open", passed: null, score: null, maxScore: 10 },
    ]);
    expect(passed).toMatchObject({ status: "passed", attempts: 2, best: { score: 8, maxScore: 10 } });
  });

  it("sorts by status first, then by score", () => {
    const low = quizCell([{ status: "submitted", passed: true, score: 7, maxScore: 10 }]);
    const high = quizCell([{ status: "submitted", passed: true, score: 10, maxScore: 10 }]);
    const failedHigh = quizCell([{ status: "submitted", passed: false, score: 6, maxScore: 10 }]);
    expect(cellSortValue(high)).toBeGreaterThan(cellSortValue(low));
    expect(cellSortValue(low)).toBeGreaterThan(cellSortValue(failedHigh));
    expect(cellSortValue(failedHigh)).toBeGreaterThan(cellSortValue(quizCell([])));
  });
});

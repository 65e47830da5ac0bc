import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { courseMeta } from "../../../lib/certificates/course-meta.ts";
import { gradebookCsv } from "../../../lib/gradebook/csv.ts";
import {
  GRADEBOOK_PAGE_SIZE,
  gradebookQuerySchema,
  loadGradebook,
  pageOfRows,
} from "../../../lib/gradebook/gradebook.ts";
import { learnerDetail } from "../../../lib/gradebook/learner.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";
import { storeQuizAttempt, storeSubmission } from "./fixtures.ts";

const [LAB] = courseMeta().certificate.requiredLabs;
const [QUIZ] = courseMeta().certificate.requiredQuizzes;

describe("gradebook", () => {
  let t: TestDb;
  let ada: string;
  let bob: string;
  let zed: string;
  beforeEach(async () => {
    t = await freshSqlite();
    const user = (email: string, name: string | null, role = "learner") =>
      t.db.user.create({ data: { email, name, role } }).then((row) => row.id);
    ada = await user("ada@example.com", "Ada Lovelace");
    bob = await user("bob@example.com", "Bob Builder");
    zed = await user("zed@example.com", null);
    await user("teacher@example.com", "Teacher", "instructor");
    await storeSubmission(t.db, ada, LAB, "checks-failed");
    await storeSubmission(t.db, ada, LAB, "passed");
    await storeSubmission(t.db, bob, LAB, "checks-failed");
    await storeSubmission(t.db, zed, LAB, "passed", { kind: "run" });
    await storeQuizAttempt(t.db, ada, QUIZ, 9, true);
    await storeQuizAttempt(t.db, bob, QUIZ, 5, false);
    await storeQuizAttempt(t.db, bob, QUIZ, null, null);
    await t.db.lessonProgress.create({ data: { userId: bob, lessonId: "m1/not-a-real-lesson" } });
  });
  afterEach(() => t.drop());

  it("has a column per required lab and quiz and a row per learner (not staff), best status per cell", async () => {
    const book = await loadGradebook(t.db);
    const meta = courseMeta().certificate;
    expect(book.columns.map((c) => c.key)).toEqual([
      ...meta.requiredLabs.map((id) => `lab:${id}`),
      ...meta.requiredQuizzes.map((id) => `quiz:${id}`),
    ]);
    expect(book.rows.map((r) => r.email)).toEqual(["ada@example.com", "bob@example.com", "zed@example.com"]);
    const [a, b, z] = book.rows;
    expect(a.cells[`lab:${LAB}`]).toMatchObject({ status: "passed", attempts: 2 });
    expect(a.cells[`quiz:${QUIZ}`]).toMatchObject({ status: "passed", best: { score: 9 } });
    expect(a.requirementsMet).toBe(2);
    expect(b.cells[`lab:${LAB}`]).toMatchObject({ status: "failed", attempts: 1 });
    expect(b.cells[`quiz:${QUIZ}`]).toMatchObject({ status: "failed", attempts: 1 });
    expect(b.lessonsCompleted).toBe(0); // a lesson no longer in the course does not count
    expect(z.cells[`lab:${LAB}`]).toMatchObject({ status: "practice", runs: 1 });
    expect(z.requirementsMet).toBe(0);
  });

  it("filters by name or email, case-insensitively", async () => {
    expect((await loadGradebook(t.db, { q: "LOVELACE" })).rows.map((r) => r.id)).toEqual([ada]);
    expect((await loadGradebook(t.db, { q: "bob@" })).rows.map((r) => r.id)).toEqual([bob]);
    const none = await loadGradebook(t.db, { q: "nobody" });
    expect(none.rows).toEqual([]);
    expect(none.learnersTotal).toBe(3);
  });

  it("sorts by any column in either direction, and ignores unknown sort keys", async () => {
    const ids = async (query: Record<string, string>) =>
      (await loadGradebook(t.db, query)).rows.map((r) => r.id);
    expect(await ids({ sort: `lab:${LAB}`, dir: "desc" })).toEqual([ada, bob, zed]);
    expect(await ids({ sort: `lab:${LAB}`, dir: "asc" })).toEqual([zed, bob, ada]);
    expect(await ids({ sort: `quiz:${QUIZ}`, dir: "desc" })).toEqual([ada, bob, zed]);
    expect(await ids({ sort: "email", dir: "desc" })).toEqual([zed, bob, ada]);
    expect(await ids({ sort: "requirements", dir: "desc" })).toEqual([ada, bob, zed]);
    expect(await ids({ sort: "'; drop table", dir: "sideways" })).toEqual([ada, bob, zed]);
  });

  it("exports the same rows as CSV with a header naming each requirement", async () => {
    await t.db.user.update({ where: { id: bob }, data: { name: "=cmd|' /C calc'!A0" } });
    const csv = gradebookCsv(await loadGradebook(t.db, { sort: "email" }));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain(`lab ${LAB} status,lab ${LAB} best %,lab ${LAB} attempts`);
    expect(lines[1]).toMatch(/^Ada Lovelace,ada@example.com,0,2,none,passed,100,2,/);
    expect(lines[2].startsWith(`'=cmd|' /C calc'!A0,bob@example.com,`)).toBe(true);
  });

  it("a learner's page data: lessons, attempts and submissions; unknown id is null", async () => {
    const detail = await learnerDetail(t.db, ada);
    expect(detail?.submissions).toHaveLength(2);
    expect(detail?.quizAttempts[0]).toMatchObject({ quizId: QUIZ, passed: true });
    expect(await learnerDetail(t.db, "nope")).toBeNull();
  });

  it("pages the table 100 learners at a time (CSV and filters see every learner)", async () => {
    const many = Array.from({ length: 2 * GRADEBOOK_PAGE_SIZE + 5 }, (_, i) => ({
      email: `l${String(i).padStart(3, "0")}@example.com`,
      name: `Learner ${String(i).padStart(3, "0")}`,
    }));
    await t.db.user.createMany({ data: many });
    const book = await loadGradebook(t.db, { sort: "email", page: "3" });
    expect(book.rows).toHaveLength(many.length + 3);
    expect(book.query.page).toBe(3);
    const third = pageOfRows(book.rows, book.query.page);
    expect(third).toMatchObject({ page: 3, pages: 3 });
    expect(third.rows.map((row) => row.email)).toEqual(book.rows.slice(200).map((row) => row.email));
    expect(pageOfRows(book.rows, 1).rows).toHaveLength(GRADEBOOK_PAGE_SIZE);
    expect(pageOfRows(book.rows, 99).page).toBe(3); // past the end: the last page
    expect(pageOfRows([], 1)).toEqual({ rows: [], page: 1, pages: 1 });
    for (const bad of ["0", "-2", "x", "1.5"]) expect(gradebookQuerySchema.parse({ page: bad }).page).toBe(1);
    expect(gradebookCsv(book).trimEnd().split("\r\n")).toHaveLength(book.rows.length + 1);
  });
});

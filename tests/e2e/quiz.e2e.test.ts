import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allLessons, courseModules } from "../../lib/course/catalog.ts";
import { quizById } from "../../lib/quizzes/attempts.ts";
import { loadAllQuizzes } from "../../lib/quizzes/load.ts";
import { type AppServer, createAccount, launchBrowser, startAppServer } from "./app-server.ts";

const QUIZ = "m1-contract-boundaries";
const KEYBOARD_QUIZ = "m2-mcp-layer";
const allQuizzes = [...loadAllQuizzes().values()];
// Every explanation of every quiz: none may reach a learner before that learner submits.
const allExplanations = allQuizzes.flatMap((file) =>
  file.questions.flatMap((question) => question.options.map((option) => option.explanation)),
);

interface Focused {
  tag: string;
  name: string;
  value: string;
  text: string;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? "",
      name: element instanceof HTMLInputElement ? element.name : "",
      value: element instanceof HTMLInputElement ? element.value : "",
      text: element?.textContent ?? "",
    };
  });
}

/** Presses Tab until the focused element matches: proves it is reachable in the tab order. */
async function tabUntil(page: Page, wanted: (element: Focused) => boolean, what: string): Promise<void> {
  for (let presses = 0; presses < 500; presses++) {
    await page.keyboard.press("Tab");
    if (wanted(await focused(page))) return;
  }
  throw new Error(`${what} is not reachable with Tab`);
}

describe("quizzes in the browser", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  const quiz = quizById(QUIZ)!;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
    await createAccount(server, "learner", "quiz@example.com", "quiz password 123");
    page = await (await browser.newContext({ baseURL: server.url })).newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill("quiz@example.com");
    await page.getByLabel("Password").fill("quiz password 123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/course");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  function leaks(text: string): string[] {
    return allExplanations.filter((explanation) => text.includes(explanation));
  }

  it("the course outline, module and lesson pages contain no key and no explanation", async () => {
    const paths = [
      "/course",
      ...courseModules().map((module) => `/course/${module.slug}`),
      ...allLessons().map((lesson) => `/course/${lesson.id}`),
    ];
    for (const path of paths) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(200);
      const text = await response.text();
      expect(leaks(text), path).toEqual([]);
      expect(text, path).not.toContain('"correct"');
    }
  });

  it.each(allQuizzes.map((file) => [file.id]))(
    "%s: no page or API a learner can reach before submitting contains a key or an explanation",
    async (id) => {
      const quizPage = await page.request.get(`/quizzes/${id}`);
      expect(quizPage.status()).toBe(200);
      const quizPageText = await quizPage.text();
      expect(leaks(quizPageText)).toEqual([]);
      expect(quizPageText).not.toContain('"correct"');
      const started = await page.request.post(`/api/quizzes/${id}/attempts`);
      expect(started.status()).toBe(201);
      const startedText = await started.text();
      expect(leaks(startedText)).toEqual([]);
      expect(startedText).not.toContain('"correct"');
      const { attemptId } = JSON.parse(startedText) as { attemptId: string };
      for (const path of [
        `/api/quizzes/${id}/attempts/${attemptId}`,
        `/quizzes/${id}/attempts/${attemptId}`,
      ]) {
        const response = await page.request.get(path);
        expect(response.status(), path).toBe(200);
        const text = await response.text();
        expect(leaks(text), path).toEqual([]);
        expect(text, path).not.toContain('"correct"');
      }
    },
  );

  it("answers and submits a quiz with the keyboard only (Tab, arrows, Space, Enter)", async () => {
    const keyboardQuiz = quizById(KEYBOARD_QUIZ)!;
    await page.goto(`/quizzes/${KEYBOARD_QUIZ}`);
    await page.getByRole("button", { name: /Resume your attempt|Start the quiz/ }).click();
    await page.waitForURL(`**/quizzes/${KEYBOARD_QUIZ}/attempts/**`);
    // The paper, read from the DOM in order: each question's input name, kind and option values.
    const paper = await page.locator("fieldset").evaluateAll((fieldsets) =>
      fieldsets.map((fieldset) => {
        const inputs = [...fieldset.querySelectorAll("input")];
        return { name: inputs[0].name, type: inputs[0].type, values: inputs.map((input) => input.value) };
      }),
    );
    expect(paper).toHaveLength(keyboardQuiz.questionsPerAttempt);
    for (const { name, type, values } of paper) {
      const question = keyboardQuiz.questions.find((q) => `q:${q.id}` === name)!;
      const correct = values.filter((value) => question.options.find((o) => o.id === value)?.correct);
      if (type === "radio") {
        // Tab enters an unchecked radio group on its first option; arrow keys move and select.
        await tabUntil(page, (element) => element.name === name, `question ${name}`);
        const steps = values.indexOf(correct[0]);
        if (steps === 0) await page.keyboard.press("Space");
        for (let step = 0; step < steps; step++) await page.keyboard.press("ArrowDown");
      } else {
        for (const value of correct) {
          await tabUntil(
            page,
            (element) => element.name === name && element.value === value,
            `option ${value} of ${name}`,
          );
          await page.keyboard.press("Space");
        }
      }
      const checked = await page
        .locator(`input[name="${name}"]:checked`)
        .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      expect(checked.sort()).toEqual([...correct].sort());
    }
    await tabUntil(
      page,
      (element) => element.tag === "button" && element.text.includes("Submit answers"),
      "the submit button",
    );
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.getByTestId("quiz-score").textContent())
      .toBe(
        `Passed: ${keyboardQuiz.questionsPerAttempt} / ${keyboardQuiz.questionsPerAttempt} (pass mark ${Math.round(keyboardQuiz.passMark * 100)}%)`,
      );
  });

  it("take module 1's quiz, fail it, read the explanations, retake it and pass; the outline shows it", async () => {
    await page.goto(`/quizzes/${QUIZ}`);
    await page.getByRole("button", { name: /Resume your attempt|Start the quiz/ }).click();
    await page.waitForURL(`**/quizzes/${QUIZ}/attempts/**`);
    // Fail: submit with nothing chosen.
    await page.getByRole("button", { name: "Submit answers" }).click();
    await expect.poll(() => page.getByTestId("quiz-score").textContent()).toMatch(/^Not passed: 0 \//);
    expect((await page.locator(".explanation").allTextContents()).length).toBeGreaterThanOrEqual(
      quiz.questionsPerAttempt * 2,
    );

    await page.goto(`/quizzes/${QUIZ}`);
    await page.getByRole("button", { name: "Start a new attempt" }).click();
    await page.waitForURL(`**/quizzes/${QUIZ}/attempts/**`);
    // Check every correct option of each drawn question (the keyboard-only run is the next test).
    const fields = page.locator("fieldset");
    for (let index = 0; index < (await fields.count()); index++) {
      const inputs = fields.nth(index).locator("input");
      const questionId = (await inputs.first().getAttribute("name"))!.slice(2);
      const question = quiz.questions.find((q) => q.id === questionId)!;
      for (const option of question.options.filter((o) => o.correct))
        await fields.nth(index).locator(`input[value="${option.id}"]`).check();
    }
    await page.getByRole("button", { name: "Submit answers" }).click();
    await expect
      .poll(() => page.getByTestId("quiz-score").textContent())
      .toBe(
        `Passed: ${quiz.questionsPerAttempt} / ${quiz.questionsPerAttempt} (pass mark ${Math.round(quiz.passMark * 100)}%)`,
      );

    await page.goto("/course");
    expect(await page.locator(`[data-quiz="${QUIZ}"]`).getAttribute("data-quiz-status")).toBe("passed");
    await page.goto(`/quizzes/${QUIZ}`);
    expect(await page.getByTestId("attempt-history").locator("tbody tr").count()).toBe(2);
  });
});

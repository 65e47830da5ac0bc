import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quizById } from "../../lib/quizzes/attempts.ts";
import { type AppServer, createAccount, launchBrowser, startAppServer } from "./app-server.ts";

const QUIZ = "m1-contract-boundaries";

describe("quizzes in the browser", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  const quiz = quizById(QUIZ)!;
  const explanations = quiz.questions.flatMap((question) =>
    question.options.map((option) => option.explanation),
  );

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
    return explanations.filter((explanation) => text.includes(explanation));
  }

  it("no page or API a learner can reach before submitting contains a key or an explanation", async () => {
    const quizPage = await page.request.get(`/quizzes/${QUIZ}`);
    expect(leaks(await quizPage.text())).toEqual([]);
    const started = await page.request.post(`/api/quizzes/${QUIZ}/attempts`);
    expect(started.status()).toBe(201);
    const startedText = await started.text();
    expect(leaks(startedText)).toEqual([]);
    expect(startedText).not.toContain('"correct"');
    const { attemptId } = JSON.parse(startedText) as { attemptId: string };
    for (const path of [
      `/api/quizzes/${QUIZ}/attempts/${attemptId}`,
      `/quizzes/${QUIZ}/attempts/${attemptId}`,
    ]) {
      const response = await page.request.get(path);
      expect(response.status()).toBe(200);
      const text = await response.text();
      expect(leaks(text)).toEqual([]);
      expect(text).not.toContain('"correct"');
    }
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
    // Answer with the keyboard-accessible inputs: check every correct option of each drawn question.
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

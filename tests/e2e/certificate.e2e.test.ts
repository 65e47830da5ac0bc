// From passing work to a verifiable certificate, and the instructor's side of it, in Chromium against
// the production build. The learner earns every requirement through the real paths: each required lab
// is submitted through the workspace's API with its reference solution and graded by the embedded
// worker in the sandbox; each required quiz is taken through the quiz API with the keys read from the
// quiz file. Then: the certificate page, the public page (Valid), `npm run verify-cert` on the
// downloaded credential (VALID), the gradebook and its CSV, a regrade through the queue, and the
// admin's revocation (Revoked, and verify-cert says so).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseMeta } from "../../lib/certificates/course-meta.ts";
import { projectPath } from "../../lib/paths.ts";
import { quizById } from "../../lib/quizzes/attempts.ts";
import { type AppServer, createAccount, launchBrowser, startAppServer } from "./app-server.ts";

const LEARNER = { email: "ada@example.com", name: "Ada Lovelace", password: "ada's long password" };
const { requiredLabs, requiredQuizzes } = courseMeta().certificate;
const REQUIREMENTS = requiredLabs.length + requiredQuizzes.length;

/** Every file of a folder, path -> content (what the workspace posts). */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, file).split(path.sep).join("/")] = readFileSync(file, "utf8");
    }
  return files;
}

/** The data lines of a finished Server-Sent Events body. */
function sseEvents(body: string): Array<{ type: string } & Record<string, unknown>> {
  return body
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as { type: string } & Record<string, unknown>);
}

/** verify-cert trusts only the site it is told to: this test's server. */
function verifyCert(file: string, issuer: string) {
  return spawnSync("npm", ["run", "-s", "verify-cert", "--", file, "--issuer", issuer], {
    cwd: projectPath(),
    encoding: "utf8",
  });
}

describe("certificate: earned through real grading and quizzes, verified, exported, revoked", () => {
  let server: AppServer;
  let browser: Browser;
  let learner: Page;
  let downloads: string;
  let certificateId: string;
  let credentialFile: string;

  async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/course");
    return page;
  }

  const staffPages = new Map<"instructor" | "admin", Page>();
  /** A signed-in page of a new instructor or admin account, made on first use. */
  async function staff(role: "instructor" | "admin"): Promise<Page> {
    let page = staffPages.get(role);
    if (!page) {
      const email = `${role}@example.com`;
      await createAccount(server, role, email, `${role} password 123`);
      const context = await browser.newContext({ baseURL: server.url, acceptDownloads: true });
      page = await signIn(context, email, `${role} password 123`);
      staffPages.set(role, page);
    }
    return page;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
    downloads = mkdtempSync(path.join(tmpdir(), "mcp-lab-downloads-"));
    await createAccount(server, "learner", LEARNER.email, LEARNER.password);
    await server.database.db.user.update({ where: { email: LEARNER.email }, data: { name: LEARNER.name } });
    learner = await signIn(
      await browser.newContext({ baseURL: server.url, acceptDownloads: true }),
      LEARNER.email,
      LEARNER.password,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it("passes every required lab through the workspace's submission API, graded by the worker", async () => {
    for (const labId of requiredLabs) {
      const created = await learner.request.post(`/api/labs/${labId}/submissions`, {
        headers: { "idempotency-key": `certificate-e2e-${labId}` },
        data: {
          lang: "python",
          kind: "submit",
          files: filesOf(projectPath("labs", labId, "solution", "python")),
        },
      });
      expect(created.status(), await created.text()).toBe(201);
      const { id, events } = (await created.json()) as { id: string; events: string };
      // The event stream ends after `finished`: reading it whole waits for the grading, not a clock.
      const stream = await learner.request.get(events, { timeout: 110_000 });
      expect(stream.status()).toBe(200);
      const finished = sseEvents(await stream.text()).find((event) => event.type === "finished");
      expect(finished, `${labId}: no finished event`).toMatchObject({ status: "pass", verdict: "passed" });
      const detail = (await (await learner.request.get(`/api/submissions/${id}`)).json()) as {
        status: string;
        result: { checks: unknown[]; runtime: Record<string, string>; limits: unknown } | null;
      };
      expect(detail.status).toBe("done");
      // Graded for real: the lab's checks ran against the pinned SDK, under the lab's sandbox limits.
      expect(detail.result?.checks.length).toBeGreaterThan(5);
      expect(detail.result?.runtime.mcp).toBe("2.3.0");
      expect(detail.result?.limits).not.toBeNull();
    }
  });

  it("passes every required quiz through the quiz API, answering with the keys from the quiz files", async () => {
    for (const quizId of requiredQuizzes) {
      const quiz = quizById(quizId)!;
      const started = await learner.request.post(`/api/quizzes/${quizId}/attempts`);
      expect(started.status()).toBe(201);
      const paper = (await started.json()) as { attemptId: string; questions: Array<{ id: string }> };
      const answers = Object.fromEntries(
        paper.questions.map((question) => [
          question.id,
          quiz.questions
            .find((q) => q.id === question.id)!
            .options.filter((option) => option.correct)
            .map((option) => option.id),
        ]),
      );
      const submitted = await learner.request.post(
        `/api/quizzes/${quizId}/attempts/${paper.attemptId}/submit`,
        {
          data: { answers },
        },
      );
      expect(submitted.status()).toBe(200);
      expect(await submitted.json()).toMatchObject({ passed: true, score: paper.questions.length });
    }
  });

  it("the learner gets the certificate; the public page says Valid; verify-cert says VALID", async () => {
    await learner.goto("/certificate");
    const requirements = learner.getByTestId("requirements").locator("li");
    expect(await requirements.count()).toBe(REQUIREMENTS);
    expect(await learner.locator('[data-testid="requirements"] li[data-met="no"]').count()).toBe(0);
    await learner.getByRole("button", { name: "Get your certificate" }).click();
    await learner.waitForURL("**/certificates/**");
    certificateId = new URL(learner.url()).pathname.split("/").pop()!;
    expect(await learner.getByTestId("certificate-status").textContent()).toBe("Valid");
    expect(await learner.getByTestId("certificate-name").textContent()).toBe(LEARNER.name);

    // Anyone with the link sees the same.
    const anonymous = await (await browser.newContext({ baseURL: server.url })).newPage();
    await anonymous.goto(`/certificates/${certificateId}`);
    expect(await anonymous.getByTestId("certificate-status").textContent()).toBe("Valid");

    const [download] = await Promise.all([
      learner.waitForEvent("download"),
      learner.getByRole("link", { name: "Download the signed credential (VC-JWT)" }).click(),
    ]);
    credentialFile = path.join(downloads, download.suggestedFilename());
    await download.saveAs(credentialFile);
    const verified = verifyCert(credentialFile, server.url);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`learner: ${LEARNER.name}`);
    expect(verified.stdout.trim().split("\n").at(-1)).toBe("VALID");
  });

  it("an instructor sees the learner in the gradebook, reads a graded submission, and exports CSV", async () => {
    const instructor = await staff("instructor");
    await instructor.goto(`/instructor?q=${encodeURIComponent("lovelace")}`);
    const row = instructor.locator(`tr[data-learner="${LEARNER.email}"]`);
    expect(await row.getByTestId("requirements-met").textContent()).toBe(`${REQUIREMENTS} / ${REQUIREMENTS}`);
    for (const labId of requiredLabs)
      expect(
        await row.locator(`td[data-column="lab:${labId}"] [data-status]`).getAttribute("data-status"),
      ).toBe("passed");
    for (const quizId of requiredQuizzes)
      expect(
        await row.locator(`td[data-column="quiz:${quizId}"] [data-status]`).getAttribute("data-status"),
      ).toBe("passed");

    // The learner's page, then one real submission: code, passed checks, the JSON-RPC trace.
    await row.getByRole("link", { name: LEARNER.name }).click();
    await instructor.waitForURL("**/instructor/learners/**");
    expect(await instructor.getByTestId("submissions").locator("tbody tr").count()).toBe(requiredLabs.length);
    // hello-server's: a server whose first file is server.py (other labs add contracts and changelogs).
    await instructor
      .getByTestId("submissions")
      .locator("tbody tr", { has: instructor.locator("td", { hasText: /^hello-server$/ }) })
      .locator("a")
      .first()
      .click();
    await instructor.waitForURL("**/instructor/submissions/**");
    expect(await instructor.locator('[data-check-status="pass"]').count()).toBeGreaterThan(0);
    expect(await instructor.locator('[data-check-status="fail"]').count()).toBe(0);
    expect(await instructor.getByTestId("trace").locator("li").first().textContent()).toContain("initialize");
    expect(await instructor.locator("[data-file] pre code").first().textContent()).toContain("MCPServer");

    await instructor.goto("/instructor");
    const [download] = await Promise.all([
      instructor.waitForEvent("download"),
      instructor.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const csvFile = path.join(downloads, download.suggestedFilename());
    await download.saveAs(csvFile);
    expect(download.suggestedFilename()).toMatch(/^mcp-lab-gradebook-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...lines] = readFileSync(csvFile, "utf8").trimEnd().split("\r\n");
    const columns = header.split(",");
    const ada = lines.find((line) => line.includes(LEARNER.email))!.split(",");
    expect(ada[columns.indexOf("name")]).toBe(LEARNER.name);
    expect(ada[columns.indexOf(`requirements met (of ${REQUIREMENTS})`)]).toBe(String(REQUIREMENTS));
    expect(ada[columns.indexOf("certificate")]).toBe("issued");
    for (const labId of requiredLabs) expect(ada[columns.indexOf(`lab ${labId} status`)]).toBe("passed");
    for (const quizId of requiredQuizzes)
      expect(ada[columns.indexOf(`quiz ${quizId} status`)]).toBe("passed");
  });

  it("an instructor regrades a lab through the queue and watches it finish; the old result stays", async () => {
    const instructor = await staff("instructor");
    const [labId] = requiredLabs;
    await instructor.goto(`/instructor/labs/${labId}`);
    expect(await instructor.getByTestId("pass-rate").textContent()).toContain("100%");
    await instructor.getByRole("button", { name: `Regrade all submissions of ${labId}` }).click();
    await instructor.waitForURL("**/instructor/regrades/**");
    // The page refreshes itself while the worker grades; wait for it to say so.
    await instructor
      .locator('[data-testid="regrade-progress"][data-complete="yes"]')
      .waitFor({ timeout: 110_000 });
    expect(await instructor.getByTestId("regrade-progress").textContent()).toContain("1 of 1 done");
    expect(await instructor.getByTestId("regrade-progress").textContent()).toContain("1 passed");
    const runs = await server.database.db.submission.findMany({
      where: { labId, user: { email: LEARNER.email } },
      orderBy: { createdAt: "asc" },
    });
    expect(runs.map((run) => [run.regradeOfId === null, run.verdict])).toEqual([
      [true, "passed"],
      [false, "passed"],
    ]);
    expect(runs[1].regradeOfId).toBe(runs[0].id);
    expect(runs[0].result).not.toBeNull();
  });

  it("after an admin revokes it through /admin, the public page says Revoked and so does verify-cert", async () => {
    const admin = await staff("admin");
    await admin.goto("/admin");
    const row = admin.getByTestId("certificates").locator("tr", { hasText: LEARNER.name });
    await row.getByLabel("Reason for revoking").fill("issued by mistake during a test");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.textContent()).toContain("revoked");

    await learner.goto(`/certificates/${certificateId}`);
    expect(await learner.getByTestId("certificate-status").textContent()).toBe(
      "Revoked — issued by mistake during a test",
    );
    const verified = verifyCert(credentialFile, server.url);
    expect(verified.status).toBe(1);
    expect(verified.stderr).toContain("REVOKED: issued by mistake during a test");
  });
});

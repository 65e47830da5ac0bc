// The lab workspace in Chromium against the real app, its embedded worker and the real sandbox:
// the starter fails check by check, the learner fixes it in Monaco, submits and passes; the trace,
// the draft and the history survive a reload; the playground calls a tool through its form and lets
// the learner answer a sampling request as the model (sampling-elicitation, TypeScript); bad input
// gets clear answers and the page stays usable.
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../lib/paths.ts";
import { type AppServer, createAccount, launchBrowser, startAppServer } from "./app-server.ts";

const LAB = "hello-server";
const solution = readFileSync(projectPath(`labs/${LAB}/solution/python/server.py`), "utf8");
const SAMPLING_LAB = "sampling-elicitation";
const samplingSolution = readFileSync(
  projectPath(`labs/${SAMPLING_LAB}/solution/typescript/server.ts`),
  "utf8",
);
const FLOOD = 'import sys\nwhile True:\n    sys.stderr.write("flood " * 200 + "\\n")\n';

describe("lab workspace", () => {
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  async function signIn(target: Page, email: string, password: string) {
    await target.goto("/signin");
    await target.getByLabel("Email").fill(email);
    await target.getByLabel("Password").fill(password);
    await target.getByRole("button", { name: "Sign in" }).click();
    await target.waitForURL("**/course");
  }

  async function editorReady(target: Page) {
    await target.locator(".monaco-editor textarea").first().waitFor({ state: "attached" });
    await expect
      .poll(() => target.evaluate(() => Boolean((window as { mcpLabEditor?: unknown }).mcpLabEditor)))
      .toBe(true);
  }

  function editorValue(target: Page): Promise<string> {
    return target.evaluate(() =>
      (window as unknown as { mcpLabEditor: { getValue(): string } }).mcpLabEditor.getValue(),
    );
  }

  /**
   * Replaces the editor's text from the keyboard, as a learner pasting their fix: select all, then
   * paste from the clipboard (typing line by line would be re-indented by the editor).
   */
  async function typeInEditor(target: Page, text: string) {
    await target.evaluate((value) => navigator.clipboard.writeText(value), text);
    await target.locator(".monaco-editor .view-lines").first().click();
    await target.keyboard.press("ControlOrMeta+A");
    await target.keyboard.press("ControlOrMeta+V");
  }

  /** Every text the progress line showed, recorded in the page as it changes. */
  async function recordProgress(target: Page) {
    await target.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const line = document.querySelector('[data-testid="run-progress"]')?.textContent?.trim();
        if (line && seen.at(-1) !== line) seen.push(line);
        const checks = document.querySelectorAll(
          '[data-testid="checks"] li[data-status="pass"], [data-testid="checks"] li[data-status="fail"]',
        ).length;
        if (line && checks > 0 && !seen.includes("checks-shown-while-running"))
          seen.push("checks-shown-while-running");
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
    await createAccount(server, "learner", "lab@example.com", "lab password 123");
    await createAccount(server, "learner", "other@example.com", "other password 123");
    context = await browser.newContext({ baseURL: server.url });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    page = await context.newPage();
    await signIn(page, "lab@example.com", "lab password 123");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("starter fails check by check; the fixed code, submitted, passes every check", async () => {
    // Every request the lab page makes (Monaco's loader, its workers, their assets) goes to our origin.
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(`/labs/${LAB}`);
    // The limits are on the page before the first run.
    const limits = await page.getByTestId("lab-limits").textContent();
    expect(limits).toContain("20 s");
    expect(limits).toContain("256 MB");
    expect(limits).toContain("256 KB");
    await editorReady(page);
    expect(await editorValue(page)).toContain("Notes server starting");
    // Monaco came from our own server, not a CDN.
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter(Boolean));
    expect(scripts.some((src) => src.includes("/api/labs/monaco/"))).toBe(true);
    expect(scripts.every((src) => src.startsWith(server.url))).toBe(true);
    await expect.poll(() => requested.some((url) => /\/api\/labs\/monaco\/.*worker/.test(url))).toBe(true);
    // (Monaco wraps its worker script in a blob: of our own origin.)
    const ours = (url: string) => [server.url, `blob:${server.url}`, "data:"].some((p) => url.startsWith(p));
    expect(requested.filter((url) => !ours(url))).toEqual([]);

    await recordProgress(page);
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect
      .poll(() => page.getByTestId("score").getAttribute("data-verdict"), { timeout: 60_000 })
      .toBe("checks-failed");
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.some((line) => /Running check \d+\/\d+/.test(line))).toBe(true);
    expect(seen).toContain("checks-shown-while-running");
    // A failed check says what was expected, gives a hint and links the lesson and the spec.
    const failed = page.locator('[data-testid="checks"] li[data-status="fail"]').first();
    await failed.waitFor();
    expect(await failed.locator(".check-hint").count()).toBe(1);
    expect(await failed.locator('a[href^="/course/m"]').count()).toBe(1);
    const stdoutCheck = page.locator('li[data-check="stdout-only-jsonrpc"]');
    expect(await stdoutCheck.getAttribute("data-status")).toBe("fail");

    await typeInEditor(page, solution);
    await expect.poll(() => editorValue(page)).toBe(solution);
    await expect
      .poll(() => page.getByTestId("save-state").getAttribute("data-state"), { timeout: 10_000 })
      .toBe("saved");

    await page.getByRole("button", { name: "Submit" }).click();
    await expect
      .poll(() => page.getByTestId("score").getAttribute("data-verdict"), { timeout: 60_000 })
      .toBe("passed");
    const statuses = await page
      .locator('[data-testid="checks"] li')
      .evaluateAll((items) => items.map((li) => li.getAttribute("data-status")));
    expect(statuses.length).toBeGreaterThan(10);
    expect(new Set(statuses)).toEqual(new Set(["pass"]));
    expect(await page.getByTestId("notice").textContent()).toContain("counts toward your certificate");

    await page.getByRole("tab", { name: /^Trace/ }).click();
    await page.locator('[data-testid="trace"] li[data-method="initialize"]').first().waitFor();
    expect(await page.locator('[data-testid="trace"] li[data-method="tools/list"]').count()).toBeGreaterThan(
      0,
    );
    // Payloads expand.
    await page.locator('[data-testid="trace"] li[data-method="tools/list"] summary').first().click();
    expect(
      await page.locator('[data-testid="trace"] li[data-method="tools/list"] pre').first().textContent(),
    ).toContain('"jsonrpc"');
  });

  it("after a reload the draft and the history are there, and two runs can be compared", async () => {
    await page.reload();
    await editorReady(page);
    expect(await editorValue(page)).toBe(solution);
    // Another browser, same learner: the draft is on the server.
    const elsewhere = await browser.newContext({ baseURL: server.url });
    const second = await elsewhere.newPage();
    await signIn(second, "lab@example.com", "lab password 123");
    await second.goto(`/labs/${LAB}`);
    await editorReady(second);
    expect(await editorValue(second)).toBe(solution);
    await elsewhere.close();
    await page.getByRole("tab", { name: /^History/ }).click();
    const rows = page.locator('[data-testid="history"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-verdict")))).toEqual([
      "passed",
      "checks-failed",
    ]);
    await rows.nth(0).getByRole("checkbox").check();
    await rows.nth(1).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Compare selected" }).click();
    const diff = await page.getByTestId("diff").textContent();
    expect(diff).toContain("server.py");
    expect(diff).toContain("- ");
    expect(diff).toContain("+ ");
    // The labs page and the course outline show the lab as passed.
    await page.goto("/labs");
    expect(await page.locator(`[data-lab="${LAB}"] [data-lab-status]`).getAttribute("data-lab-status")).toBe(
      "passed",
    );
    await page.goto("/course");
    expect(await page.locator(`.module-extras [data-lab="${LAB}"]`).getAttribute("data-lab-status")).toBe(
      "passed",
    );
  });

  it("the playground starts the current code and calls a tool through its form", async () => {
    await page.goto(`/labs/${LAB}`);
    await editorReady(page);
    await page.getByRole("tab", { name: "Playground" }).click();
    await page.getByRole("button", { name: "Start the playground" }).click();
    const state = page.getByTestId("playground-state");
    await expect.poll(() => state.getAttribute("data-state"), { timeout: 30_000 }).not.toBe("none");
    expect(await state.textContent()).toMatch(/^Running notes/);
    await page.getByRole("button", { name: "List tools" }).click();
    const addNote = page.locator('[data-tool="add_note"]');
    await addNote.waitFor();
    await addNote.locator("summary").click();
    await addNote.getByLabel("title *").fill("Groceries from the playground");
    await addNote.getByLabel("body *").fill("milk, eggs");
    await addNote.getByLabel("tags").fill("home, food");
    await addNote.getByRole("button", { name: "Call add_note" }).click();
    const answer = page.getByTestId("playground-answer");
    await expect
      .poll(() => answer.locator("h3").textContent(), { timeout: 10_000 })
      .toBe("Result of tools/call add_note");
    expect(await answer.getAttribute("data-ok")).toBe("yes");
    expect(await answer.textContent()).toContain("Groceries from the playground");
    expect(
      await page.locator('[data-testid="playground"] li[data-method="tools/call"]').count(),
    ).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => page.getByTestId("playground-state").getAttribute("data-state")).toBe("stopped");
  });

  it("bad input gets clear answers and nothing is stored", async () => {
    const url = `/api/labs/${LAB}/submissions`;
    const files = { "server.py": solution };
    const malformed = await page.request.post(url, {
      headers: { "content-type": "application/json", "idempotency-key": "malformed-key-1" },
      data: Buffer.from("{not json"),
    });
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).error.code).toBe("MALFORMED_JSON");

    const unknown = await page.request.post("/api/labs/no-such-lab/submissions", {
      headers: { "idempotency-key": "unknown-lab-key-1" },
      data: { lang: "python", kind: "run", files },
    });
    expect(unknown.status()).toBe(404);

    const oversize = await page.request.post(url, {
      headers: { "idempotency-key": "oversize-key-1" },
      data: { lang: "python", kind: "run", files: { "server.py": "#".repeat(300 * 1024) } },
    });
    expect(oversize.status()).toBe(413);
    expect((await oversize.json()).error.message).toMatch(/at most 256 KB/);

    const badName = await page.request.post(url, {
      headers: { "idempotency-key": "bad-name-key-1" },
      data: { lang: "python", kind: "run", files: { "../server.py": "x" } },
    });
    expect(badName.status()).toBe(400);
    const before = await server.database.db.submission.count();
    expect(before).toBe(2);

    // Another learner's submission: 404, never its code.
    const mine = await server.database.db.submission.findFirstOrThrow({ where: { kind: "submit" } });
    const other = await browser.newContext({ baseURL: server.url });
    const otherPage = await other.newPage();
    await signIn(otherPage, "other@example.com", "other password 123");
    for (const path of [`/api/submissions/${mine.id}`, `/api/submissions/${mine.id}/events`]) {
      const response = await otherPage.request.get(path);
      expect(response.status()).toBe(404);
      expect(await response.text()).not.toContain("MCPServer");
    }
    await other.close();

    // Errors from the engine side keep their status.
    const noLab = await page.request.post("/api/labs/no-such-lab/playground", {
      data: { lang: "python", files },
    });
    expect(noLab.status()).toBe(404);
    const noSession = await page.request.post(`/api/labs/${LAB}/playground/requests`, {
      data: { method: "tools/list" },
    });
    expect([noSession.status(), (await noSession.json()).error.code]).toEqual([
      409,
      "PLAYGROUND_NOT_RUNNING",
    ]);
  });

  it("a double click grades once", async () => {
    const key = "double-click-key-1";
    const data = { lang: "python", kind: "run", files: { "server.py": solution } };
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        page.request.post(`/api/labs/${LAB}/submissions`, { headers: { "idempotency-key": key }, data }),
      ),
    );
    const ids = [(await a.json()).id, (await b.json()).id];
    expect(ids[0]).toBe(ids[1]);
    expect(await server.database.db.submission.count({ where: { idempotencyKey: key } })).toBe(1);
    // Follow it to the end so the next test may grade.
    const events = await page.request.get(`/api/submissions/${ids[0]}/events`);
    expect(await events.text()).toContain('"type":"finished"');
  });

  it("a server that floods its output: a clear verdict, output truncated, the page stays usable", async () => {
    await page.goto(`/labs/${LAB}`);
    await editorReady(page);
    await typeInEditor(page, FLOOD);
    // A double click on Run checks grades once.
    await page.getByRole("button", { name: "Run checks" }).dblclick();
    await expect
      .poll(() => page.getByTestId("score").getAttribute("data-verdict"), { timeout: 60_000 })
      .toBe("output-limit");
    const floods = async () =>
      (await server.database.db.submission.findMany({ select: { files: true } })).filter((row) =>
        row.files.includes("flood"),
      ).length;
    expect(await floods()).toBe(1);
    expect(await page.getByTestId("verdict-message").textContent()).toContain("256 KB");
    await page.getByRole("tab", { name: "stderr" }).click();
    expect(await page.getByTestId("stderr-truncated").textContent()).toContain("output truncated at 256 KB");
    // Still usable: reset to the starter (confirmed), undo it, and the buttons work again.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Reset to starter" }).click();
    await expect.poll(() => editorValue(page)).toContain("Notes server starting");
    await page.getByRole("button", { name: "Undo reset" }).click();
    await expect.poll(() => editorValue(page)).toBe(FLOOD);
    expect(await page.getByRole("button", { name: "Run checks" }).isEnabled()).toBe(true);
    // Ctrl/Cmd+Enter inside the editor runs the checks again.
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(floods, { timeout: 10_000 }).toBe(2);
    await page.getByRole("tab", { name: "Results" }).click();
    await expect
      .poll(() => page.getByTestId("score").getAttribute("data-verdict"), { timeout: 60_000 })
      .toBe("output-limit");
  });

  it("a live view that fails for good (the event stream answers 401) gives the buttons back", async () => {
    await page.goto(`/labs/${LAB}`);
    await editorReady(page);
    await page.route("**/api/submissions/*/events**", (route) =>
      route.fulfill({
        status: 401,
        contentType: "application/json",
        body: '{"error":{"code":"UNAUTHENTICATED"}}',
      }),
    );
    const run = page.getByRole("button", { name: "Run checks" });
    await run.click();
    // The page reads the submission once instead: its result if it is done, else a way to follow it.
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              document.querySelector('[data-testid="score"]')?.getAttribute("data-verdict") ??
              document.querySelector('[data-testid="grading-error"]')?.textContent ??
              null,
          ),
        { timeout: 30_000 },
      )
      // (The draft is the flooding server of the test before: any verdict will do.)
      .toMatch(/^[a-z-]+$|live view of this run was lost/);
    await expect.poll(() => run.isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.unroute("**/api/submissions/*/events**");
  });

  it("Run it locally gives an HTTP lab's commands: a port and the Inspector's HTTP form", async () => {
    await page.goto("/labs/streamable-http");
    await page.getByRole("tab", { name: "Run it locally" }).click();
    const local = await page.getByTestId("local-commands").textContent();
    expect(local).toContain("PORT=8000");
    expect(local).toContain("--transport http");
  });

  it("the playground lets the learner answer their server's sampling request as the model", async () => {
    // In TypeScript: switching the language loads that language's starter in the editor.
    await page.goto(`/labs/${SAMPLING_LAB}`);
    await editorReady(page);
    await page.getByLabel("Language").selectOption("typescript");
    await expect.poll(() => editorValue(page), { timeout: 10_000 }).toContain("McpServer");
    await typeInEditor(page, samplingSolution);
    await expect.poll(() => editorValue(page)).toBe(samplingSolution);
    await page.getByRole("tab", { name: "Playground" }).click();
    await page.getByRole("button", { name: "Start the playground" }).click();
    const state = page.getByTestId("playground-state");
    await expect.poll(() => state.getAttribute("data-state"), { timeout: 30_000 }).toBe("ready");
    await page.getByRole("button", { name: "List tools" }).click();
    const summarize = page.locator('[data-tool="summarize_ticket"]');
    await summarize.waitFor();
    await summarize.locator("summary").click();
    await summarize.getByLabel("ticket_id *").fill("T-1");
    await summarize.getByRole("button", { name: "Call summarize_ticket" }).click();
    // The server's sampling/createMessage waits in the panel until the learner answers it.
    const asking = page.locator('[data-server-request="sampling/createMessage"]');
    await asking.waitFor({ timeout: 15_000 });
    expect(await asking.textContent()).toContain("not instructions");
    await asking.getByLabel("Model reply").fill("Double charge in May; refund one.");
    await asking.getByRole("button", { name: "Send reply" }).click();
    const answer = page.getByTestId("playground-answer");
    await expect
      .poll(() => answer.locator("h3").textContent(), { timeout: 15_000 })
      .toBe("Result of tools/call summarize_ticket");
    expect(await answer.textContent()).toContain("Double charge in May; refund one.");
    expect(await answer.textContent()).toContain("playground-human");
    await expect.poll(() => asking.count()).toBe(0);
    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => state.getAttribute("data-state")).toBe("stopped");
  });
});

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allLessons } from "../../lib/course/catalog.ts";
import { type AppServer, createAccount, launchBrowser, startAppServer } from "./app-server.ts";

describe("foundation: sign-up, sign-in, course, progress, roles", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
    await createAccount(server, "instructor", "teacher@example.com", "instructor password 1");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url });
    return context.newPage();
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/course");
  }

  it("a learner signs up, signs out, signs in, completes a lesson and sees the progress", async () => {
    const page = await newPage();
    await page.goto("/signup");
    await page.getByLabel("Name").fill("Grace Hopper");
    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByLabel(/^Password/).fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/course");
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe("Grace Hopper");

    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/`);
    expect(await page.getByTestId("signed-in-as").count()).toBe(0);

    await signIn(page, "grace@example.com", "a long enough password");
    const total = allLessons().length;
    await expect
      .poll(() => page.getByTestId("course-progress").textContent())
      .toContain(`0 of ${total} lessons complete`);

    const first = allLessons()[0];
    await page.getByRole("link", { name: first.title, exact: true }).click();
    await page.waitForURL(`**/course/m${first.moduleNumber}/${first.slug}`);
    await expect.poll(() => page.locator("h1").textContent()).toBe(first.title);
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe("Grace Hopper");
    await page.getByRole("button", { name: "Mark complete" }).click();
    await expect.poll(() => page.getByTestId("lesson-status").textContent()).toContain("complete");
    await page.reload();
    await expect.poll(() => page.getByTestId("lesson-status").textContent()).toContain("complete");

    await page.goto("/course");
    await expect
      .poll(() => page.getByTestId("course-progress").textContent())
      .toContain(`1 of ${total} lessons complete`);
    expect(await page.locator(`[data-lesson="${first.id}"]`).getAttribute("data-complete")).toBe("yes");
  });

  it("a wrong password gets a generic message", async () => {
    const page = await newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.locator("form [role=alert]").textContent())
      .toBe("Email or password is incorrect.");
  });

  it("malformed sign-up gets a message per field and creates nothing", async () => {
    const page = await newPage();
    const before = await server.database.db.user.count();
    await page.goto("/signup");
    await page.getByLabel("Name").fill("Eve");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel(/^Password/).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator("#email-error").textContent()).toContain("valid email");
    expect(await page.locator("#password-error").textContent()).toContain("at least 10 characters");

    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByLabel(/^Password/).fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator("#email-error").textContent()).toContain("already exists");
    expect(await server.database.db.user.count()).toBe(before);
  });

  it("the instructor page refuses a learner (403) and sends an anonymous visitor to sign-in", async () => {
    const anonymous = await newPage();
    await anonymous.goto("/instructor");
    expect(new URL(anonymous.url()).pathname).toBe("/signin");
    expect(new URL(anonymous.url()).searchParams.get("callbackUrl")).toBe("/instructor");

    const learner = await newPage();
    await signIn(learner, "grace@example.com", "a long enough password");
    const response = await learner.goto("/instructor");
    expect(response?.status()).toBe(403);
    expect(await learner.locator("h1").textContent()).toContain("403");

    const instructor = await newPage();
    await signIn(instructor, "teacher@example.com", "instructor password 1");
    const allowed = await instructor.goto("/instructor");
    expect(allowed?.status()).toBe(200);
    expect(await instructor.locator("table").textContent()).toContain("grace@example.com");
  });

  it("a lesson page, the same HTML for everyone, shows each visitor their own header and progress", async () => {
    const first = allLessons()[0];
    const path = `/course/m${first.moduleNumber}/${first.slug}`;
    const anonymous = await newPage();
    await anonymous.goto(path);
    const header = anonymous.getByRole("navigation", { name: "Main" });
    await expect.poll(() => header.getByRole("link", { name: "Sign in" }).count()).toBe(1);
    expect(await anonymous.getByTestId("signed-in-as").count()).toBe(0);
    expect(
      await anonymous.locator(".lesson-footer").getByRole("link", { name: "Sign in" }).getAttribute("href"),
    ).toBe(`/signin?callbackUrl=${encodeURIComponent(path)}`);
    expect(await anonymous.getByRole("button", { name: "Mark complete" }).count()).toBe(0);

    const instructor = await newPage();
    await signIn(instructor, "teacher@example.com", "instructor password 1");
    await instructor.goto(path);
    await expect.poll(() => instructor.getByTestId("signed-in-as").textContent()).toBe("Test instructor");
    const nav = instructor.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Instructor" }).count()).toBe(1);
    expect(await nav.getByRole("link", { name: "Admin" }).count()).toBe(0);
    expect(await instructor.getByRole("button", { name: "Mark complete" }).count()).toBe(1);
  });

  it("an unknown lesson slug is a 404 page", async () => {
    const page = await newPage();
    const response = await page.goto("/course/m1/no-such-lesson");
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
  });
});

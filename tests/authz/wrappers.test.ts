// The two wrappers every route handler and server action go through refuse before the handler runs:
// anonymous -> sign-in (actions) / 401 (routes), a role below the required one -> 403, bad input -> 400.
// The session is the one thing stood in for here (no Next request to read it from); everything else
// is the real wrapper. tests/e2e/authz-matrix.e2e.test.ts proves the same against the running app.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { CurrentUser } from "../../lib/auth/session.ts";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ currentUser: async () => session.user }));

const { action } = await import("../../lib/http/action.ts");
const { route } = await import("../../lib/http/route.ts");

const as = (role: CurrentUser["role"] | null): CurrentUser | null =>
  role ? { id: `${role}-id`, email: `${role}@example.com`, name: role, role } : null;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

/** What next/navigation's redirect()/forbidden() threw, by their digest. */
async function interruption(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail("the action ran"),
    (e: unknown) => e as { digest?: string },
  );
  return error.digest ?? String(error);
}

describe("action() refuses before the handler runs", () => {
  const previous = process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS;
  // next.config.ts turns on authInterrupts, which is what makes forbidden() available.
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "1";
  afterAll(() => {
    process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = previous;
  });

  const handler = vi.fn(async () => "done");
  const adminOnly = action(
    { role: "admin", input: z.object({ userId: z.string().min(1) }), returnTo: () => "/admin" },
    handler,
  );
  beforeEach(() => handler.mockClear());

  it("anonymous: redirected to sign-in with the return path", async () => {
    session.user = as(null);
    const digest = await interruption(adminOnly(form({ userId: "u1" })));
    expect(digest).toMatch(/^NEXT_REDIRECT;(push|replace);\/signin\?callbackUrl=%2Fadmin;307;/);
    expect(handler).not.toHaveBeenCalled();
  });

  it.each(["learner", "instructor"] as const)("%s on an admin action: 403", async (role) => {
    session.user = as(role);
    expect(await interruption(adminOnly(form({ userId: "u1" })))).toBe("NEXT_HTTP_ERROR_FALLBACK;403");
    expect(handler).not.toHaveBeenCalled();
  });

  it("the right role with bad input: 400, handler not called; with good input it runs", async () => {
    session.user = as("admin");
    await expect(adminOnly(form({ other: "x" }))).rejects.toMatchObject({
      status: 400,
      code: "INVALID_INPUT",
    });
    expect(handler).not.toHaveBeenCalled();
    await expect(adminOnly(form({ userId: "u1" }))).resolves.toBe("done");
    expect(handler).toHaveBeenCalledWith({ user: as("admin"), input: { userId: "u1" } });
  });
});

describe("route() refuses before the handler runs", () => {
  const handler = vi.fn(async () => Response.json({ ok: true }));
  const instructorOnly = route({ access: "instructor", body: z.object({ labId: z.string() }) }, handler);
  const post = (body: string) => instructorOnly(new Request("http://app/x", { method: "POST", body }));
  beforeEach(() => handler.mockClear());

  it.each([
    [null, 401, "UNAUTHENTICATED"],
    ["learner", 403, "FORBIDDEN"],
  ] as const)("%s: %i %s", async (role, status, code) => {
    session.user = as(role);
    const response = await post('{"labId":"x"}');
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(handler).not.toHaveBeenCalled();
  });

  it("instructor and admin pass; a bad body is a 400 before the handler", async () => {
    for (const role of ["instructor", "admin"] as const) {
      session.user = as(role);
      expect((await post('{"labId":1}')).status).toBe(400);
      expect((await post("{not json")).status).toBe(400);
      expect((await post('{"labId":"x"}')).status).toBe(200);
    }
    expect(handler).toHaveBeenCalledTimes(2);
  });
});

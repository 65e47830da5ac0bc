import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { sessionUserId } from "../../../lib/auth/session-token.ts";

const SECRET = "a test secret that is long enough for next-auth";

function jar(cookies: Record<string, string>) {
  return { getAll: () => Object.entries(cookies).map(([name, value]) => ({ name, value })) };
}

/** A session cookie exactly as next-auth's sign-in sets it (its own encode). */
function sessionCookie(sub: string, options: { secret?: string; maxAge?: number } = {}) {
  return encode({ token: { sub, name: "Grace" }, secret: options.secret ?? SECRET, maxAge: options.maxAge });
}

const plain = { secret: SECRET, secureCookie: false };

describe("session cookie -> user id", () => {
  it("reads the id from a cookie next-auth issued", async () => {
    const token = await sessionCookie("user-1");
    expect(await sessionUserId(jar({ "next-auth.session-token": token }), plain)).toBe("user-1");
  });

  it("reads the __Secure- cookie when NEXTAUTH_URL is https, and only then", async () => {
    const token = await sessionCookie("user-2");
    const secure = jar({ "__Secure-next-auth.session-token": token });
    expect(await sessionUserId(secure, { secret: SECRET, secureCookie: true })).toBe("user-2");
    expect(await sessionUserId(secure, plain)).toBeNull();
  });

  it("joins a session cookie next-auth split into chunks", async () => {
    const token = await sessionCookie("user-3");
    const middle = Math.floor(token.length / 2);
    const chunks = {
      "next-auth.session-token.1": token.slice(middle),
      "next-auth.session-token.0": token.slice(0, middle),
    };
    expect(await sessionUserId(jar(chunks), plain)).toBe("user-3");
  });

  it("refuses an expired, foreign, tampered or missing token", async () => {
    const expired = await sessionCookie("user-4", { maxAge: -60 });
    const foreign = await sessionCookie("user-4", { secret: "another secret of the same kind here" });
    const good = await sessionCookie("user-4");
    const tampered = `${good.slice(0, -4)}${good.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    for (const token of [expired, foreign, tampered, "not-a-jwt"])
      expect(await sessionUserId(jar({ "next-auth.session-token": token }), plain)).toBeNull();
    expect(await sessionUserId(jar({}), plain)).toBeNull();
    expect(await sessionUserId(jar({ "next-auth.csrf-token": good }), plain)).toBeNull();
  });
});

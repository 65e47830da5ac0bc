// The signed-in user's id from next-auth's session cookie, without next-auth's request pipeline.
// getServerSession runs a whole sign-in request for it (options, CSRF token, the session callbacks) and
// encrypts a refreshed token that a page can never send back (its cookies are dropped), which made the
// session several times dearer than the page's own database read. This reads the same cookie the same
// way (next-auth's getToken: cookie name, chunked cookies) and decrypts it as next-auth's decode does,
// with the encryption key derived once per secret instead of per request.
import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import { getToken, type JWTDecodeParams } from "next-auth/jwt";

/** next-auth 4's key derivation for session JWTs (jwt/index.js, getDerivedEncryptionKey, empty salt). */
const KEY_INFO = "NextAuth.js Generated Encryption Key";
const keys = new Map<string, Uint8Array>();

function encryptionKey(secret: string | Buffer): Uint8Array {
  const id = typeof secret === "string" ? secret : secret.toString("base64");
  let key = keys.get(id);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", secret, "", KEY_INFO, 32));
    keys.set(id, key);
  }
  return key;
}

/** next-auth's decode (dir + A256GCM, 15 s clock tolerance), with a cached key. */
async function decode({ token, secret, salt }: JWTDecodeParams) {
  if (!token) return null;
  if (salt) throw new Error("session tokens are not salted in next-auth 4");
  const { payload } = await jwtDecrypt(token, encryptionKey(secret), { clockTolerance: 15 });
  return payload;
}

/** What next-auth reads cookies from: a header-less request (no `Authorization: Bearer` fallback). */
export interface CookieSource {
  getAll(): Array<{ name: string; value: string }>;
}

/**
 * The user id (`sub`) of a valid, unexpired session cookie, or null. `secureCookie` follows next-auth:
 * true when NEXTAUTH_URL is https (the cookie is then `__Secure-next-auth.session-token`).
 */
export async function sessionUserId(
  cookies: CookieSource,
  options: { secret: string; secureCookie: boolean },
): Promise<string | null> {
  const token = await getToken({
    req: { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: options.secret,
    secureCookie: options.secureCookie,
    decode,
  });
  return typeof token?.sub === "string" ? token.sub : null;
}

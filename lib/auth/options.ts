// next-auth configuration: email + password out of the box; GitHub and any OpenID Connect provider
// when their environment variables are set. Sessions are JWTs; the user's role is read fresh from the
// database on every request (lib/auth/session.ts), so a role change applies at once.
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { z } from "zod";
import { type AppConfig, config } from "../config.ts";
import { db } from "../db/client.ts";
import { log } from "../log.ts";
import { hitRateLimit } from "../rate-limit.ts";
import { decoyPasswordHash, verifyPassword } from "./password.ts";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

/** Five tries per email and twenty per client address per 15 minutes. */
const LOGIN_WINDOW_MS = 15 * 60 * 1000;

function clientAddress(headers: Record<string, string | string[] | undefined> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || "local";
}

async function authorizeWithPassword(
  raw: Record<string, string> | undefined,
  headers: Record<string, string | string[] | undefined> | undefined,
) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const [byEmail, byAddress] = await Promise.all([
    hitRateLimit(db(), `login:email:${email}`, { limit: 5, windowMs: LOGIN_WINDOW_MS }),
    hitRateLimit(db(), `login:ip:${clientAddress(headers)}`, { limit: 20, windowMs: LOGIN_WINDOW_MS }),
  ]);
  if (!byEmail.allowed || !byAddress.allowed) {
    log.warn({ event: "login.rate-limited", email }, "sign-in rate limit hit");
    throw new Error("RateLimited");
  }
  const user = await db().user.findUnique({ where: { email } });
  // Compare against a decoy hash for unknown emails so the response time reveals nothing.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user?.passwordHash || !ok) return null;
  return { id: user.id, email: user.email, name: user.name };
}

/** GitHub and a generic OpenID Connect provider, each only when its variables are set. */
export function oauthProviders(env: AppConfig = config()): NextAuthOptions["providers"] {
  const providers: NextAuthOptions["providers"] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET)
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET)
    providers.push({
      id: "oidc",
      name: env.OIDC_NAME,
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (profile: { sub: string; email: string; name?: string; picture?: string }) => ({
        id: profile.sub,
        email: profile.email,
        name: profile.name ?? profile.email,
        image: profile.picture ?? null,
      }),
    });
  return providers;
}

export function authOptions(): NextAuthOptions {
  return {
    // The adapter stores GitHub/OIDC users and their accounts; credentials users already exist.
    adapter: PrismaAdapter(db() as never),
    secret: config().authSecret,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: (credentials, request) => authorizeWithPassword(credentials, request?.headers),
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } };
      },
    },
    logger: {
      error: (code, metadata) => log.error({ event: "auth.error", code, metadata }, "next-auth error"),
      warn: (code) => log.warn({ event: "auth.warn", code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}

/** Providers shown on the sign-in page, besides email + password. */
export function externalProviders(): Array<{ id: string; name: string }> {
  return oauthProviders().map((provider) => ({ id: provider.id, name: provider.name }));
}

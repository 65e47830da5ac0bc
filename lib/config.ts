// The platform's configuration, read from the environment and validated once (zod). A bad or missing
// value stops start-up with a message that names the variable; production refuses the demo secret.
import { z } from "zod";

/** Used only outside production so that `npm run setup` works with no configuration at all. */
export const DEV_AUTH_SECRET = "mcp-lab-development-secret-do-not-use-in-production";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    NEXT_PHASE: z.string().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: URL (SQLite) or a postgres:// URL")
      .optional(),
    NEXTAUTH_SECRET: z
      .string()
      .min(32, "must be at least 32 characters (openssl rand -base64 32)")
      .optional(),
    /** The site's public URL: sign-in callbacks, and the issuer named in every certificate. */
    NEXTAUTH_URL: z.url("must be an absolute URL such as https://lab.example.com").optional(),
    PORT: z.string().regex(/^\d*$/, "must be a port number").optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    GITHUB_ID: optionalString,
    GITHUB_SECRET: optionalString,
    OIDC_ISSUER: z.url("must be the issuer URL of your OpenID provider").optional(),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: z.string().default("Single sign-on"),
    /** bwrap (default) or unsafe-local (development only, loud warning). */
    SANDBOX: z.enum(["bwrap", "unsafe-local"]).default("bwrap"),
    /** A bearer token for a Prometheus scraper on /api/metrics (admins can read it signed in). */
    METRICS_TOKEN: z.string().min(24, "must be at least 24 characters (openssl rand -hex 16)").optional(),
    /** embedded (in-process worker on the app database) or external (npm run worker processes). */
    WORKER_MODE: z.enum(["embedded", "external"]).default("embedded"),
  })
  .superRefine((env, ctx) => {
    // `next build` runs with NODE_ENV=production but serves nobody; the secret is checked when the
    // server starts (scripts/start.ts and the first request).
    if (env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build") {
      if (!env.NEXTAUTH_SECRET || env.NEXTAUTH_SECRET === DEV_AUTH_SECRET)
        ctx.addIssue({
          code: "custom",
          path: ["NEXTAUTH_SECRET"],
          message: "production needs its own secret (the development default is refused)",
        });
      if (env.SANDBOX === "unsafe-local")
        ctx.addIssue({ code: "custom", path: ["SANDBOX"], message: "unsafe-local is refused in production" });
    }
    if (Boolean(env.GITHUB_ID) !== Boolean(env.GITHUB_SECRET))
      ctx.addIssue({
        code: "custom",
        path: ["GITHUB_SECRET"],
        message: "GITHUB_ID and GITHUB_SECRET go together",
      });
    if (env.OIDC_ISSUER && !(env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET))
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_CLIENT_ID"],
        message: "OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET",
      });
  });

export type AppConfig = z.infer<typeof envSchema> & { authSecret: string };

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, authSecret: parsed.data.NEXTAUTH_SECRET ?? DEV_AUTH_SECRET };
}

let cached: AppConfig | undefined;

/** The validated configuration of this process (parsed on first use). */
export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * The site's public URL, without a trailing slash: NEXTAUTH_URL. Certificates sign it as their
 * issuer, so it never comes from a request's Host header. Production refuses to go without it;
 * development falls back to http://localhost:<PORT or 3000> (what `next dev` serves).
 */
export function publicSiteUrl(cfg: Pick<AppConfig, "NODE_ENV" | "NEXTAUTH_URL" | "PORT">): string {
  if (cfg.NEXTAUTH_URL) return cfg.NEXTAUTH_URL.replace(/\/+$/, "");
  if (cfg.NODE_ENV === "production")
    throw new ConfigError(
      "NEXTAUTH_URL: set it to the site's public URL (e.g. https://lab.example.com); certificates name it as their issuer",
    );
  return `http://localhost:${cfg.PORT || "3000"}`;
}

import { describe, expect, it } from "vitest";
import { ConfigError, DEV_AUTH_SECRET, parseConfig, publicSiteUrl } from "../../lib/config.ts";

const secret = "x".repeat(40);

describe("configuration", () => {
  it("defaults to the embedded setup in development", () => {
    const config = parseConfig({});
    expect(config.SANDBOX).toBe("bwrap");
    expect(config.authSecret).toBe(DEV_AUTH_SECRET);
  });

  it.each([
    [{ DATABASE_URL: "mysql://db/lab" }, /DATABASE_URL: must be a file: URL/],
    [{ NEXTAUTH_SECRET: "short" }, /NEXTAUTH_SECRET: must be at least 32 characters/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ GITHUB_ID: "abc" }, /GITHUB_SECRET: GITHUB_ID and GITHUB_SECRET go together/],
    [{ OIDC_ISSUER: "https://id.example.com" }, /OIDC_CLIENT_ID/],
    [{ NODE_ENV: "production" }, /NEXTAUTH_SECRET: production needs its own secret/],
    [
      { NODE_ENV: "production", NEXTAUTH_SECRET: DEV_AUTH_SECRET },
      /NEXTAUTH_SECRET: production needs its own secret/,
    ],
    [
      { NODE_ENV: "production", NEXTAUTH_SECRET: secret, SANDBOX: "unsafe-local" },
      /SANDBOX: unsafe-local is refused/,
    ],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it("accepts a production configuration with its own secret", () => {
    expect(parseConfig({ NODE_ENV: "production", NEXTAUTH_SECRET: secret }).authSecret).toBe(secret);
  });

  it("the public URL certificates are issued under comes from NEXTAUTH_URL, and production requires it", () => {
    const production = parseConfig({ NODE_ENV: "production", NEXTAUTH_SECRET: secret });
    expect(() => publicSiteUrl(production)).toThrow(ConfigError);
    expect(() => publicSiteUrl(production)).toThrow(/NEXTAUTH_URL: set it to the site's public URL/);
    expect(
      publicSiteUrl(
        parseConfig({
          NODE_ENV: "production",
          NEXTAUTH_SECRET: secret,
          NEXTAUTH_URL: "https://lab.example.com/",
        }),
      ),
    ).toBe("https://lab.example.com");
    // Development only: what `next dev` serves, never a request's Host header.
    expect(publicSiteUrl(parseConfig({}))).toBe("http://localhost:3000");
    expect(publicSiteUrl(parseConfig({ PORT: "4000" }))).toBe("http://localhost:4000");
  });
});

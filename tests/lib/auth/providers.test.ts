import { describe, expect, it } from "vitest";
import { oauthProviders } from "../../../lib/auth/options.ts";
import { parseConfig } from "../../../lib/config.ts";

describe("sign-in providers", () => {
  it("offers only email + password when nothing is configured", () => {
    expect(oauthProviders(parseConfig({}))).toEqual([]);
  });

  it("adds GitHub and a generic OIDC provider (PKCE, discovery) when their variables are set", () => {
    const providers = oauthProviders(
      parseConfig({
        GITHUB_ID: "gh-id",
        GITHUB_SECRET: "gh-secret",
        OIDC_ISSUER: "https://id.example.com/realms/lab/",
        OIDC_CLIENT_ID: "lab",
        OIDC_CLIENT_SECRET: "s3cret",
        OIDC_NAME: "Example SSO",
      }),
    );
    expect(providers.map((provider) => [provider.id, provider.name])).toEqual([
      ["github", "GitHub"],
      ["oidc", "Example SSO"],
    ]);
    expect(providers[1]).toMatchObject({
      wellKnown: "https://id.example.com/realms/lab/.well-known/openid-configuration",
      checks: ["pkce", "state"],
      idToken: true,
    });
  });
});

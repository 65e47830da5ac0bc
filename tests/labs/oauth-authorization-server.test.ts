// The oauth-resource-server lab's grader-side world, on its own: the authorization server (RFC 8414
// metadata, JWKS, rotation, minting, client_credentials), the billing API (passthrough detection),
// the forgeries the checks send, and that nothing of a run survives into the next.
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import type { LabEnvironment } from "../../conformance/lab-environment.ts";
import { environment, type OAuthLab } from "../../labs/oauth-resource-server/environment.ts";
import {
  hmacSigned,
  publicKeyAsSecrets,
  randomKid,
  tamper,
  unsigned,
} from "../../labs/oauth-resource-server/forgery.ts";
import {
  AS_PORT,
  BILLING_PORT,
  BILLING_URL,
  billingOf,
  ISSUER,
  RESOURCE,
  SCOPES,
  USER_SCOPES,
} from "../../labs/oauth-resource-server/world.ts";
import { createSocketFetch } from "../../sandbox/index.ts";

const opened: LabEnvironment[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

async function open(seed = 5) {
  const env = await environment({ seed, lang: "python", log: () => undefined });
  opened.push(env);
  const lab = env.state as OAuthLab;
  const socket = (port: number) => env.services?.find((s) => s.port === port)?.socketPath ?? "";
  const asFetch = createSocketFetch(socket(AS_PORT));
  const billingFetch = createSocketFetch(socket(BILLING_PORT));
  const jwks = async () =>
    (await (await asFetch(`${ISSUER}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
  const user = { sub: "alice", tenant: lab.tenants[0].id, scopes: [SCOPES.read] };
  return { env, lab, asFetch, billingFetch, jwks, user };
}

const verify = async (token: string, keys: { keys: JWK[] }, audience = RESOURCE) =>
  jwtVerify(token, createLocalJWKSet(keys), { issuer: ISSUER, audience, algorithms: ["RS256"] });

function tokenRequest(fields: Record<string, string>, basic?: [string, string]) {
  return {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(basic
        ? { authorization: `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString("base64")}` }
        : {}),
    },
    body: new URLSearchParams(fields).toString(),
  };
}

describe("the grader's authorization server", () => {
  it("hands the server its addresses and the grader's session a bearer token", async () => {
    const { env, lab, jwks } = await open();
    expect(env.env).toMatchObject({
      PORT: "8000",
      MCP_RESOURCE: "http://127.0.0.1:8000/mcp",
      OAUTH_ISSUER: "http://127.0.0.1:9400",
      OAUTH_JWKS_URL: "http://127.0.0.1:9400/.well-known/jwks.json",
      OAUTH_TOKEN_URL: "http://127.0.0.1:9400/token",
      BILLING_API_URL: "http://127.0.0.1:9500",
    });
    const main = env.httpHeaders?.authorization?.replace(/^Bearer /, "") ?? "";
    const { payload } = await verify(main, await jwks());
    expect(payload).toMatchObject({
      sub: lab.mainSubject,
      tenant: lab.tenants[0].id,
      scope: USER_SCOPES.join(" "),
    });
    expect(Number(payload.exp) - Date.now() / 1000).toBeGreaterThan(600);
  });

  it("serves RFC 8414 metadata whose issuer is exactly the issuer", async () => {
    const { asFetch } = await open();
    const res = await asFetch(`${ISSUER}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    const metadata = (await res.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      token_endpoint: `${ISSUER}/token`,
      grant_types_supported: ["client_credentials"],
      response_types_supported: [],
    });
    expect(metadata.scopes_supported).toEqual([...USER_SCOPES, "invoices:read"]);
  });

  it("publishes public keys only, and mints tokens that verify against them", async () => {
    const { lab, jwks, user } = await open();
    const keys = await jwks();
    expect(keys.keys).toHaveLength(1);
    expect(Object.keys(keys.keys[0] ?? {}).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect(keys.keys[0]?.kid).toBe(lab.as.signingKid());
    // Not even the grader's own code can export a private key.
    expect(lab.as.privateKeysExportable()).toBe(false);
    const token = await lab.userToken(user);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", typ: "at+jwt", kid: lab.as.signingKid() });
    const { payload } = await verify(token, keys);
    expect(payload).toMatchObject({
      iss: ISSUER,
      aud: RESOURCE,
      sub: "alice",
      scope: "notes:read",
      client_id: "mcp-lab-grader",
    });
    expect(lab.as.issuedFor(token)).toEqual({ aud: RESOURCE, sub: "alice", purpose: "user" });
  });

  it("sets and omits claims as a check asks", async () => {
    const { lab, user } = await open();
    const claims = lab.claims({ ...user, set: { aud: BILLING_URL, exp: 1 }, omit: ["iss", "nbf"] });
    expect(claims).toMatchObject({ aud: BILLING_URL, exp: 1 });
    expect(claims).not.toHaveProperty("iss");
    expect(claims).not.toHaveProperty("nbf");
  });

  it("rotates: a new key joins the JWKS and signs from then on, the old one still verifies", async () => {
    const { lab, jwks, user } = await open();
    const before = await lab.userToken(user);
    const firstKid = lab.as.signingKid();
    const kid = await lab.as.rotate();
    expect(kid).not.toBe(firstKid);
    const keys = await jwks();
    expect(keys.keys.map((k) => k.kid)).toEqual([firstKid, kid]);
    const after = await lab.userToken(user);
    expect(decodeProtectedHeader(after).kid).toBe(kid);
    await verify(after, keys);
    await verify(before, keys);
    expect(lab.as.jwksFetches()).toHaveLength(1);
  });

  it("issues the server's own billing token by client_credentials, and nothing else", async () => {
    const { env, asFetch, jwks } = await open();
    const id = env.env?.BILLING_CLIENT_ID ?? "";
    const secret = env.env?.BILLING_CLIENT_SECRET ?? "";
    const ok = await asFetch(
      `${ISSUER}/token`,
      tokenRequest({ grant_type: "client_credentials", resource: BILLING_URL }, [id, secret]),
    );
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    const { payload } = await verify(body.access_token, await jwks(), BILLING_URL);
    expect(payload).toMatchObject({ sub: id, scope: "invoices:read" });

    const post = await asFetch(
      `${ISSUER}/token`,
      tokenRequest({ grant_type: "client_credentials", client_id: id, client_secret: secret }),
    );
    expect(post.status).toBe(200);
    const status = async (fields: Record<string, string>, basic?: [string, string]) => {
      const res = await asFetch(`${ISSUER}/token`, tokenRequest(fields, basic));
      return [res.status, ((await res.json()) as { error: string }).error];
    };
    expect(await status({ grant_type: "client_credentials" }, [id, "wrong"])).toEqual([
      401,
      "invalid_client",
    ]);
    expect(await status({ grant_type: "password" }, [id, secret])).toEqual([400, "unsupported_grant_type"]);
    // The server's client can never get a token for the MCP resource itself.
    expect(await status({ grant_type: "client_credentials", resource: RESOURCE }, [id, secret])).toEqual([
      400,
      "invalid_target",
    ]);
  });

  it("records every request, and which of them went beyond its published endpoints", async () => {
    const { lab, asFetch } = await open();
    await asFetch(`${ISSUER}/.well-known/oauth-authorization-server`);
    expect((await asFetch(`${ISSUER}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await asFetch(`${ISSUER}/admin/keys`)).status).toBe(404);
    expect((await asFetch(`${ISSUER}/token`)).status).toBe(404);
    expect(lab.as.requests.map((r) => [r.method, r.path, r.status, r.endpoint])).toEqual([
      ["GET", "/.well-known/oauth-authorization-server", 200, "metadata"],
      ["GET", "/.well-known/openid-configuration", 404, "discovery"],
      ["GET", "/admin/keys", 404, null],
      ["GET", "/token", 404, null],
    ]);
  });
});

describe("the forgeries the checks send", () => {
  it("do not verify against the JWKS, and are what they claim to be", async () => {
    const { lab, jwks, user } = await open();
    const keys = await jwks();
    const claims = lab.claims(user);
    const kid = lab.as.signingKid();
    const genuine = await lab.as.sign(claims);
    const forged = [
      await lab.forger.sign(claims, kid),
      await lab.forger.sign(claims, randomKid()),
      tamper(genuine, { ...claims, sub: "admin" }),
      unsigned(claims, kid),
    ];
    for (const token of forged) await expect(verify(token, keys)).rejects.toThrow();
    expect(decodeProtectedHeader(unsigned(claims, kid)).alg).toBe("none");
    for (const { secret } of publicKeyAsSecrets(lab.as.signingPublicPem(), lab.as.signingPublicJwk())) {
      const token = hmacSigned(claims, kid, secret);
      await expect(verify(token, keys)).rejects.toThrow();
      // A verifier that HMACs with that exact key material would accept it.
      const [h, p, s] = token.split(".");
      expect(createHmac("sha256", secret).update(`${h}.${p}`).digest("base64url")).toBe(s);
    }
  });
});

describe("the billing API", () => {
  it("answers the server's own token with the tenant's invoices and records passthrough", async () => {
    const { env, lab, asFetch, billingFetch, user } = await open();
    const grant = await asFetch(
      `${ISSUER}/token`,
      tokenRequest({ grant_type: "client_credentials" }, [
        env.env?.BILLING_CLIENT_ID ?? "",
        env.env?.BILLING_CLIENT_SECRET ?? "",
      ]),
    );
    const service = ((await grant.json()) as { access_token: string }).access_token;
    const tenant = lab.tenants[1];
    const url = `${BILLING_URL}/tenants/${tenant.id}/invoices`;
    const ok = await billingFetch(url, { headers: { authorization: `Bearer ${service}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(billingOf(tenant));
    const userToken = await lab.userToken(user);
    expect((await billingFetch(url, { headers: { authorization: `Bearer ${userToken}` } })).status).toBe(401);
    expect((await billingFetch(url)).status).toBe(401);
    expect(
      (
        await billingFetch(`${BILLING_URL}/tenants/nobody/invoices`, {
          headers: { authorization: `Bearer ${service}` },
        })
      ).status,
    ).toBe(404);
    expect(lab.billing.calls.map((c) => [c.tenant, c.verdict, c.passedSub])).toEqual([
      [tenant.id, "ok", undefined],
      [tenant.id, "passthrough", "alice"],
      [tenant.id, "no-token", undefined],
      ["nobody", "not-found", undefined],
    ]);
  });
});

describe("one run's secrets end with the run", () => {
  it("uses fresh keys and secrets per run, even with the same seed, and forgets them on close", async () => {
    const first = await open(9);
    const second = await open(9);
    expect(second.lab.tenants).toEqual(first.lab.tenants);
    expect(second.env.env?.BILLING_CLIENT_SECRET).not.toBe(first.env.env?.BILLING_CLIENT_SECRET);
    const [k1, k2] = [(await first.jwks()).keys[0], (await second.jwks()).keys[0]];
    expect(k2?.kid).not.toBe(k1?.kid);
    expect(k2?.n).not.toBe(k1?.n);
    const fromFirst = await first.lab.userToken(first.user);
    await expect(verify(fromFirst, await second.jwks())).rejects.toThrow();

    const sockets = (first.env.services ?? []).map((s) => s.socketPath);
    await first.env.close();
    opened.splice(opened.indexOf(first.env), 1);
    for (const socket of sockets) expect(existsSync(socket)).toBe(false);
    await expect(first.lab.userToken(first.user)).rejects.toThrow(/closed/);
    expect(first.lab.as.jwks()).toEqual({ keys: [] });
    expect(first.lab.as.issuedTokens()).toEqual([]);
  });
});

// One run's world: a fresh authorization server (new keys), the billing API, two seeded tenants, and
// the bearer token the grader's own MCP session carries. Everything is closed when the run ends, so
// no key, token or socket reaches the next run.
import { randomBytes } from "node:crypto";
import type { LabEnvironment, LabEnvironmentInput } from "../../conformance/lab-environment.ts";
import { createRandom } from "../../conformance/random.ts";
import { listenForSandbox } from "../../sandbox/index.ts";
import { AuthorizationServer } from "./authorization-server.ts";
import { type BillingApi, createBillingApi } from "./billing-api.ts";
import { Forger } from "./forgery.ts";
import {
  AS_PORT,
  BILLING_PORT,
  BILLING_SCOPE,
  BILLING_URL,
  GRADER_CLIENT_ID,
  ISSUER,
  MCP_PORT,
  makeTenants,
  RESOURCE,
  type Tenant,
  USER_SCOPES,
} from "./world.ts";

export interface UserTokenOptions {
  sub: string;
  tenant: string;
  scopes: string[];
  /** Claims to set or replace (e.g. a past `exp`). */
  set?: Record<string, unknown>;
  /** Claims to leave out (e.g. "exp"). */
  omit?: string[];
}

/** What checks get as ctx.environment. */
export interface OAuthLab {
  as: AuthorizationServer;
  billing: BillingApi;
  forger: Forger;
  tenants: [Tenant, Tenant];
  /** The subject of the grader's main session token. */
  mainSubject: string;
  /** A user token's claims as the AS would issue them for this server. */
  claims(options: UserTokenOptions): Record<string, unknown>;
  /** The same, signed by the authorization server's current key. */
  userToken(options: UserTokenOptions): Promise<string>;
}

/** Seconds since the epoch. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export async function environment(input: LabEnvironmentInput): Promise<LabEnvironment> {
  const random = createRandom(input.seed, "oauth-resource-server/environment");
  const tenants = makeTenants(random);
  const client = {
    clientId: `notes-server-${random.int(1000, 9999)}`,
    // Not seeded: a secret the learner's code cannot know before the run.
    clientSecret: randomBytes(24).toString("base64url"),
    resource: BILLING_URL,
    scope: BILLING_SCOPE,
  };
  const [as, forger] = await Promise.all([
    AuthorizationServer.create({ issuer: ISSUER, client, userScopes: USER_SCOPES }),
    Forger.create(),
  ]);
  const billing = createBillingApi(as, tenants);
  const claims = (o: UserTokenOptions): Record<string, unknown> => {
    const iat = nowSeconds();
    const all: Record<string, unknown> = {
      iss: ISSUER,
      sub: o.sub,
      aud: RESOURCE,
      client_id: GRADER_CLIENT_ID,
      tenant: o.tenant,
      scope: o.scopes.join(" "),
      iat,
      nbf: iat,
      exp: iat + 300,
      jti: randomBytes(9).toString("base64url"),
      ...o.set,
    };
    for (const name of o.omit ?? []) delete all[name];
    return all;
  };
  const mainSubject = `grader-${random.int(1000, 9999)}`;
  const lab: OAuthLab = {
    as,
    billing,
    forger,
    tenants,
    mainSubject,
    claims,
    userToken: (o) => as.sign(claims(o)),
  };
  // The grader's own session outlives a playground session (2 minutes) with room to spare.
  const mainToken = await lab.userToken({
    sub: mainSubject,
    tenant: tenants[0].id,
    scopes: USER_SCOPES,
    set: { exp: nowSeconds() + 900 },
  });
  const [asService, billingService] = await Promise.all([
    listenForSandbox(as.server),
    listenForSandbox(billing.server),
  ]);
  input.log(
    `authorization server ${ISSUER} (signing key ${as.signingKid()}), billing API ${BILLING_URL}; tenants ${tenants.map((t) => t.id).join(", ")}`,
  );
  return {
    env: {
      PORT: String(MCP_PORT),
      MCP_RESOURCE: RESOURCE,
      OAUTH_ISSUER: ISSUER,
      OAUTH_JWKS_URL: as.jwksUri,
      OAUTH_TOKEN_URL: as.tokenEndpoint,
      BILLING_API_URL: BILLING_URL,
      BILLING_CLIENT_ID: client.clientId,
      BILLING_CLIENT_SECRET: client.clientSecret,
    },
    services: [
      { port: AS_PORT, socketPath: asService.socketPath },
      { port: BILLING_PORT, socketPath: billingService.socketPath },
    ],
    httpHeaders: { authorization: `Bearer ${mainToken}` },
    state: lab,
    close: async () => {
      as.close();
      await Promise.all([asService.close(), billingService.close()]);
    },
  };
}

// The grader's downstream billing API, which billing_summary calls. It accepts only tokens the
// authorization server issued for it (aud = the billing API), and records every call: a token minted
// for the MCP server arriving here is token passthrough, which the spec forbids.
import { createServer, type Server } from "node:http";
import { createLocalJWKSet, jwtVerify } from "jose";
import type { AuthorizationServer } from "./authorization-server.ts";
import { SIGNING_ALG } from "./authorization-server.ts";
import { BILLING_URL, billingOf, ISSUER, RESOURCE, type Tenant } from "./world.ts";

export interface BillingCall {
  at: number;
  path: string;
  tenant: string | null;
  /** The bearer token it came with (null: none). */
  token: string | null;
  verdict: "ok" | "no-token" | "passthrough" | "invalid" | "not-found";
  /** Subject of a passed-through user token. */
  passedSub?: string;
}

export interface BillingApi {
  server: Server;
  calls: BillingCall[];
}

const INVOICES = /^\/tenants\/([^/]+)\/invoices$/;

export function createBillingApi(as: AuthorizationServer, tenants: Tenant[]): BillingApi {
  const calls: BillingCall[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? "/", BILLING_URL).pathname;
      const tenantId = INVOICES.exec(path)?.[1];
      const tenant = tenantId ? decodeURIComponent(tenantId) : null;
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null;
      const answer = (status: number, body: unknown, verdict: BillingCall["verdict"], extra = {}) => {
        calls.push({ at: Date.now(), path, tenant, token: bearer, verdict, ...extra });
        res.writeHead(status, {
          "content-type": "application/json",
          ...(status === 401 ? { "www-authenticate": 'Bearer error="invalid_token"' } : {}),
        });
        res.end(JSON.stringify(body));
      };
      if (!bearer) return answer(401, { error: "invalid_token", error_description: "no token" }, "no-token");
      const issued = as.issuedFor(bearer);
      if (issued?.purpose === "user" && issued.aud === RESOURCE) {
        return answer(
          401,
          {
            error: "invalid_token",
            error_description: `token passthrough: this token was issued for ${RESOURCE}, not for the billing API`,
          },
          "passthrough",
          { passedSub: String(issued.sub) },
        );
      }
      try {
        await jwtVerify(bearer, createLocalJWKSet(as.jwks()), {
          issuer: ISSUER,
          audience: BILLING_URL,
          algorithms: [SIGNING_ALG],
        });
      } catch (err) {
        return answer(401, { error: "invalid_token", error_description: (err as Error).message }, "invalid");
      }
      const found = tenants.find((t) => t.id === tenant);
      if (req.method !== "GET" || !found) return answer(404, { error: "not_found" }, "not-found");
      answer(200, billingOf(found), "ok");
    })();
  });
  return { server, calls };
}

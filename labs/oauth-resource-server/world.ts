// The lab's fixed contract (addresses, scopes, tools) and its seeded data (tenants and their invoices).
import type { SeededRandom } from "../../conformance/check-api.ts";

/** Inside the sandbox: the learner's server, the grader's authorization server and its billing API. */
export const MCP_PORT = 8000;
export const AS_PORT = 9400;
export const BILLING_PORT = 9500;
/** The server's canonical URI (RFC 8707 / RFC 9728 `resource`): the audience of its tokens. */
export const RESOURCE = `http://127.0.0.1:${MCP_PORT}/mcp`;
export const ISSUER = `http://127.0.0.1:${AS_PORT}`;
export const BILLING_URL = `http://127.0.0.1:${BILLING_PORT}`;
/** Where RFC 9728 puts the metadata for RESOURCE (path inserted), and the root form MCP also allows. */
export const PRM_PATH = "/.well-known/oauth-protected-resource/mcp";
export const PRM_ROOT_PATH = "/.well-known/oauth-protected-resource";
/** The client id the grader's user tokens carry (it plays the MCP client). */
export const GRADER_CLIENT_ID = "mcp-lab-grader";

export const SCOPES = { read: "notes:read", write: "notes:write", billing: "billing:read" } as const;
export const USER_SCOPES: string[] = [SCOPES.read, SCOPES.write, SCOPES.billing];
/** The scope the billing API's tokens carry (the server's own client_credentials token). */
export const BILLING_SCOPE = "invoices:read";

/** Each tool and the scope it needs (null: any valid token). */
export const TOOL_SCOPES: Record<string, string | null> = {
  whoami: null,
  add_note: SCOPES.write,
  list_notes: SCOPES.read,
  read_note: SCOPES.read,
  billing_summary: SCOPES.billing,
};

export interface Invoice {
  id: string;
  amount_cents: number;
  status: "open" | "paid";
}

export interface Tenant {
  id: string;
  invoices: Invoice[];
}

/** What billing_summary returns for a tenant (the billing API's answer). */
export interface BillingSummary {
  tenant: string;
  currency: "EUR";
  invoices: Invoice[];
  open_balance_cents: number;
}

export function makeTenants(random: SeededRandom): [Tenant, Tenant] {
  const ids = random.words(2);
  const tenant = (word: string): Tenant => ({
    id: `${word}-${random.int(100, 999)}`,
    invoices: Array.from({ length: random.int(2, 4) }, () => ({
      id: `INV-${random.int(10_000, 99_999)}`,
      amount_cents: random.int(1_000, 900_000),
      status: random.pick(["open", "paid"] as const),
    })),
  });
  return [tenant(ids[0] ?? "acme"), tenant(ids[1] ?? "globex")];
}

export function billingOf(tenant: Tenant): BillingSummary {
  return {
    tenant: tenant.id,
    currency: "EUR",
    invoices: tenant.invoices,
    open_balance_cents: tenant.invoices
      .filter((i) => i.status === "open")
      .reduce((sum, i) => sum + i.amount_cents, 0),
  };
}

// Operations desk: your starting point for the `contract-boundaries` lab (TypeScript).
//
// Uses the official MCP TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) and zod. Node 24 runs
// this file directly (type stripping), so stick to erasable TypeScript and the SDK's ".js" paths.
//
// It works: an agent can do everything the on-call desk needs. That is the problem. Every
// capability hides behind one tool, `do_everything(action, payload)`, whose schema says nothing
// about any of them, so a host cannot tell the harmless reads from the delete. Two side effects
// hide in places a host treats as safe, too. Read README.md for the contract to build and the
// checks that grade it. Run the grader locally with:
//
//   npm run grade -- --lab contract-boundaries --dir labs/contract-boundaries/starter/typescript --lang typescript
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

type Incident = {
  id: string;
  service: string;
  title: string;
  severity: string;
  state: "open" | "acknowledged" | "resolved";
  resolution: string | null;
};

const SERVICES = [
  { name: "checkout", team: "payments", tier: 1 },
  { name: "identity", team: "accounts", tier: 1 },
  { name: "search", team: "discovery", tier: 2 },
  { name: "notifications", team: "messaging", tier: 2 },
  { name: "reports", team: "analytics", tier: 3 },
];

const RUNBOOKS: Record<string, string> = {
  checkout: [
    "# Runbook: checkout",
    "",
    "Owner: payments (tier 1)",
    "",
    "1. Open the checkout dashboard and compare the error rate per payment provider.",
    "2. If one provider fails, switch traffic to the other with the `payments-failover` flag.",
    "3. If the database is saturated, turn on the `checkout-readonly` flag to shed writes.",
    "4. Page the payments on-call when errors stay above 2% for 10 minutes.",
  ].join("\n"),
  identity: [
    "# Runbook: identity",
    "",
    "Owner: accounts (tier 1)",
    "",
    "1. Check the login success rate and the token signing latency.",
    "2. If signing keys fail to load, roll back the last key rotation.",
    "3. If the session store is slow, extend session lifetimes with `sessions-extend`.",
    "4. Never disable MFA to restore logins; page the accounts on-call instead.",
  ].join("\n"),
  search: [
    "# Runbook: search",
    "",
    "Owner: discovery (tier 2)",
    "",
    "1. Check query latency and the indexing backlog.",
    "2. If the backlog grows, pause bulk re-indexing jobs.",
    "3. If results are stale, serve from the previous index snapshot.",
    "4. Open a ticket for discovery during business hours; page only for a full outage.",
  ].join("\n"),
  notifications: [
    "# Runbook: notifications",
    "",
    "Owner: messaging (tier 2)",
    "",
    "1. Check the delivery queue depth and the provider bounce rate.",
    "2. If a provider throttles, lower the send rate with `notify-rate-limit`.",
    "3. Never replay the dead-letter queue without deduplication.",
    "4. Page the messaging on-call when deliveries are delayed by more than 15 minutes.",
  ].join("\n"),
  reports: [
    "# Runbook: reports",
    "",
    "Owner: analytics (tier 3)",
    "",
    "1. Check the nightly job status and the warehouse load.",
    "2. Re-run failed jobs once; a second failure waits for business hours.",
    "3. Tell users on the status page when reports are late.",
  ].join("\n"),
};

const SEVERITIES = ["critical", "major", "minor"];
const incidents = new Map<string, Incident>();
let nextId = 1;

/** Thrown for a bad request; the tool turns it into an isError result. */
class DeskError extends Error {}

function service(name: unknown) {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) {
    throw new DeskError(
      `No service ${JSON.stringify(name)}. Known services: ${SERVICES.map((s) => s.name).join(", ")}.`,
    );
  }
  return found;
}

function incident(id: unknown): Incident {
  const found = incidents.get(String(id));
  if (!found) throw new DeskError(`No incident ${JSON.stringify(id)}. Incident ids look like INC-0001.`);
  return found;
}

function status(name: string) {
  const unresolved = [...incidents.values()].filter((i) => i.service === name && i.state !== "resolved");
  const severities = new Set(unresolved.map((i) => i.severity));
  const value = severities.has("critical") ? "outage" : severities.has("major") ? "degraded" : "operational";
  return { service: name, status: value, open_incidents: unresolved.map((i) => i.id) };
}

function postmortem(i: Incident): string {
  const owner = SERVICES.find((s) => s.name === i.service);
  return [
    `# Postmortem: ${i.title}`,
    "",
    `- Incident: ${i.id}`,
    `- Service: ${i.service} (${owner ? `team ${owner.team}, tier ${owner.tier}` : "unknown team"})`,
    `- Severity: ${i.severity}`,
    `- State: ${i.state}`,
    `- Resolution: ${i.resolution ?? "not resolved yet"}`,
    "",
    "## Summary",
    "",
    "## Timeline",
    "",
    "## Root cause",
    "",
    "## Action items",
  ].join("\n");
}

function run(action: string, p: Record<string, unknown>): Record<string, unknown> {
  switch (action) {
    case "list_services":
      return { services: SERVICES };
    case "service_status": {
      const name = service(p.service).name;
      const result = status(name);
      // Whoever looks at the status is on it: acknowledge what is still open.
      for (const i of incidents.values())
        if (i.service === name && i.state === "open") i.state = "acknowledged";
      return result;
    }
    case "runbook": {
      const name = service(p.service).name;
      return { service: name, runbook: RUNBOOKS[name] };
    }
    case "create_incident": {
      const name = service(p.service).name;
      const title = String(p.title ?? "").trim();
      if (!title) throw new DeskError("create_incident needs a title.");
      if (!SEVERITIES.includes(String(p.severity))) {
        throw new DeskError(`severity must be one of ${SEVERITIES.join(", ")}.`);
      }
      const created: Incident = {
        id: `INC-${String(nextId).padStart(4, "0")}`,
        service: name,
        title,
        severity: String(p.severity),
        state: "open",
        resolution: null,
      };
      nextId += 1;
      incidents.set(created.id, created);
      console.error(`created ${created.id} on ${name}`);
      return { ...created };
    }
    case "acknowledge": {
      const i = incident(p.incident_id);
      if (i.state === "resolved") throw new DeskError(`${i.id} is already resolved.`);
      i.state = "acknowledged";
      return { ...i };
    }
    case "resolve": {
      const i = incident(p.incident_id);
      if (i.state !== "resolved") {
        i.state = "resolved";
        i.resolution = String(p.resolution ?? "");
      }
      return { ...i };
    }
    case "delete_incident": {
      const i = incident(p.incident_id);
      incidents.delete(i.id);
      console.error(`deleted ${i.id}`);
      return { id: i.id, deleted: true };
    }
    case "postmortem": {
      const i = incident(p.incident_id);
      return { incident_id: i.id, template: postmortem(i) };
    }
    default:
      throw new DeskError(`Unknown action ${JSON.stringify(action)}.`);
  }
}

const server = new McpServer(
  { name: "ops-desk", version: "0.1.0" },
  { instructions: "The on-call operations desk. Everything goes through do_everything." },
);

server.registerTool(
  "do_everything",
  {
    description:
      "Does everything on the operations desk. Pick an action and put its arguments in payload. " +
      "Actions: list_services, service_status {service}, runbook {service}, " +
      "create_incident {service, title, severity}, acknowledge {incident_id}, " +
      "resolve {incident_id, resolution}, delete_incident {incident_id}, postmortem {incident_id}.",
    inputSchema: { action: z.string(), payload: z.record(z.string(), z.unknown()).optional() },
  },
  ({ action, payload }) => {
    try {
      const result = run(action, payload ?? {});
      return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result };
    } catch (err) {
      if (!(err instanceof DeskError)) throw err;
      return { content: [{ type: "text", text: err.message }], isError: true };
    }
  },
);

server.registerResource(
  "incident",
  new ResourceTemplate("ops://incidents/{id}", { list: undefined }),
  { description: "One incident as JSON.", mimeType: "application/json" },
  (uri, { id }) => {
    const found = incidents.get(String(id));
    if (!found) throw new McpError(ErrorCode.InvalidParams, `No incident ${JSON.stringify(id)}.`);
    const text = JSON.stringify(found);
    // Someone opened it, so someone is on it.
    if (found.state === "open") found.state = "acknowledged";
    return { contents: [{ uri: uri.href, mimeType: "application/json", text }] };
  },
);

await server.connect(new StdioServerTransport());
console.error("ops desk running on stdio");

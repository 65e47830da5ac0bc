// Operations desk: the reference solution of the `contract-boundaries` lab (TypeScript).
//
// The starter's `do_everything(action, payload)` split along the lines module 1 teaches:
// - tools for what the model decides to do, one per task, each with a typed schema and annotations
//   that say what it changes: get_service_status (read-only), create_incident,
//   acknowledge_incident, resolve_incident, delete_incident (destructive);
// - resources for data an application reads as context: ops://services, the runbook template
//   ops://services/{name}/runbook and the incident template ops://incidents/{id}, none of which
//   writes anything;
// - a prompt the user starts on purpose: postmortem(incident_id).
//
// Uses @modelcontextprotocol/sdk 1.32.2 and zod; Node 24 runs it directly (type stripping), so it
// sticks to erasable TypeScript. Logs go to stderr: stdout is the protocol channel.
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const SEVERITIES = ["critical", "major", "minor"] as const;
type Severity = (typeof SEVERITIES)[number];
type State = "open" | "acknowledged" | "resolved";
type Incident = {
  id: string;
  service: string;
  title: string;
  severity: Severity;
  state: State;
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

/** A request the desk refuses; tools turn it into an isError result the model can act on. */
class DeskError extends Error {}

/** The domain: knows nothing about MCP. Reads never write; every write is one explicit method. */
class OpsDesk {
  private incidents = new Map<string, Incident>();
  private next = 1;

  service(name: string) {
    return SERVICES.find((s) => s.name === name);
  }

  requireService(name: string) {
    const found = this.service(name);
    if (!found) {
      const known = SERVICES.map((s) => s.name).join(", ");
      throw new DeskError(`No service '${name}'. Known services: ${known} (also listed at ops://services).`);
    }
    return found;
  }

  get(id: string): Incident | undefined {
    return this.incidents.get(id);
  }

  require(id: string): Incident {
    const found = this.incidents.get(id);
    if (!found) {
      throw new DeskError(
        `No incident '${id}'. Use the id create_incident returned, or the ids get_service_status lists as open_incidents.`,
      );
    }
    return found;
  }

  status(name: string) {
    const unresolved = [...this.incidents.values()].filter(
      (i) => i.service === name && i.state !== "resolved",
    );
    const severities = new Set(unresolved.map((i) => i.severity));
    const status = severities.has("critical")
      ? "outage"
      : severities.has("major")
        ? "degraded"
        : "operational";
    return { service: name, status, open_incidents: unresolved.map((i) => i.id) };
  }

  create(service: string, title: string, severity: Severity): Incident {
    const incident: Incident = {
      id: `INC-${String(this.next).padStart(4, "0")}`,
      service,
      title,
      severity,
      state: "open",
      resolution: null,
    };
    this.next += 1;
    this.incidents.set(incident.id, incident);
    return incident;
  }

  acknowledge(incident: Incident): Incident {
    if (incident.state === "resolved") {
      throw new DeskError(`${incident.id} is already resolved; there is nothing left to acknowledge.`);
    }
    incident.state = "acknowledged";
    return incident;
  }

  resolve(incident: Incident, resolution: string): Incident {
    // Resolving twice keeps the first resolution.
    if (incident.state !== "resolved") {
      incident.state = "resolved";
      incident.resolution = resolution;
    }
    return incident;
  }

  delete(incident: Incident): void {
    this.incidents.delete(incident.id);
  }
}

/** The template the starter's `postmortem` action returned, unchanged. */
function renderPostmortem(incident: Incident): string {
  const owner = desk.service(incident.service);
  return [
    `# Postmortem: ${incident.title}`,
    "",
    `- Incident: ${incident.id}`,
    `- Service: ${incident.service} (${owner ? `team ${owner.team}, tier ${owner.tier}` : "unknown team"})`,
    `- Severity: ${incident.severity}`,
    `- State: ${incident.state}`,
    `- Resolution: ${incident.resolution ?? "not resolved yet"}`,
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

const desk = new OpsDesk();
const server = new McpServer(
  { name: "ops-desk", version: "1.0.0" },
  {
    instructions:
      "The on-call operations desk. Services and runbooks are resources (ops://services, " +
      "ops://services/{name}/runbook); incidents are read at ops://incidents/{id} and changed with the " +
      "incident tools; the postmortem prompt drafts a postmortem.",
  },
);

const incidentShape = {
  id: z.string(),
  service: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(["open", "acknowledged", "resolved"]),
  resolution: z.string().nullable(),
};
const incidentId = z.string().min(1).describe("Incident id as create_incident returned it, e.g. INC-0001.");
const serviceName = z.string().min(1).describe("Service name as listed at ops://services, e.g. checkout.");

/** structuredContent for clients that read it, the same JSON as text for those that do not. */
function reply<T extends Record<string, unknown>>(value: T) {
  return { content: [{ type: "text" as const, text: JSON.stringify(value) }], structuredContent: value };
}

/** Runs a tool body; a DeskError becomes a tool error (isError) instead of a protocol error. */
function guarded<T extends Record<string, unknown>>(body: () => T) {
  try {
    return reply(body());
  } catch (err) {
    if (!(err instanceof DeskError)) throw err;
    return { content: [{ type: "text" as const, text: err.message }], isError: true };
  }
}

server.registerTool(
  "get_service_status",
  {
    description:
      "Get a service's live status (operational, degraded or outage) and the ids of its unresolved incidents. " +
      "Use this when the user asks whether a service is healthy or what is open on it. Changes nothing.",
    inputSchema: { service: serviceName },
    outputSchema: {
      service: z.string(),
      status: z.enum(["operational", "degraded", "outage"]),
      open_incidents: z.array(z.string()),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  ({ service }) => guarded(() => desk.status(desk.requireService(service).name)),
);

server.registerTool(
  "create_incident",
  {
    description:
      "Open a new incident on a service. Use this when the user reports a problem that is not tracked yet. " +
      "Each call opens another incident: check get_service_status first to avoid duplicates.",
    inputSchema: {
      service: serviceName,
      title: z.string().min(3).max(120).describe("What is wrong, in one line."),
      severity: z.enum(SEVERITIES).describe("critical: outage; major: degraded; minor: no user impact yet."),
    },
    outputSchema: incidentShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
  ({ service, title, severity }) =>
    guarded(() => {
      const incident = desk.create(desk.requireService(service).name, title, severity);
      console.error(`created ${incident.id} on ${incident.service}`);
      return { ...incident };
    }),
);

server.registerTool(
  "acknowledge_incident",
  {
    description:
      "Mark an open incident as acknowledged. Use this when someone on call takes the incident. " +
      "Acknowledging twice changes nothing; a resolved incident cannot be acknowledged.",
    inputSchema: { incident_id: incidentId },
    outputSchema: incidentShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  ({ incident_id }) => guarded(() => ({ ...desk.acknowledge(desk.require(incident_id)) })),
);

server.registerTool(
  "resolve_incident",
  {
    description:
      "Mark an incident as resolved and record what fixed it. Use this when the user says the problem is fixed. " +
      "Resolving an already resolved incident changes nothing.",
    inputSchema: {
      incident_id: incidentId,
      resolution: z.string().min(1).max(500).describe("What fixed it, in a sentence."),
    },
    outputSchema: incidentShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  ({ incident_id, resolution }) =>
    guarded(() => ({ ...desk.resolve(desk.require(incident_id), resolution) })),
);

server.registerTool(
  "delete_incident",
  {
    description:
      "Permanently delete an incident, e.g. one opened by mistake. Use this only when the user explicitly asks. " +
      "Deleting cannot be undone; prefer resolve_incident for incidents that really happened.",
    inputSchema: { incident_id: incidentId },
    outputSchema: { id: z.string(), deleted: z.boolean() },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  },
  ({ incident_id }) =>
    guarded(() => {
      const incident = desk.require(incident_id);
      desk.delete(incident);
      console.error(`deleted ${incident.id}`);
      return { id: incident.id, deleted: true };
    }),
);

server.registerResource(
  "services",
  "ops://services",
  {
    description: "Every service with its owning team and tier, as a JSON array.",
    mimeType: "application/json",
  },
  (uri) => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(SERVICES) }] }),
);

server.registerResource(
  "runbook",
  new ResourceTemplate("ops://services/{name}/runbook", { list: undefined }),
  { description: "A service's on-call runbook (Markdown).", mimeType: "text/markdown" },
  (uri, { name }) => {
    const text = RUNBOOKS[String(name)];
    if (text === undefined) {
      // -32602 on the wire: the client asked for something that does not exist.
      throw new McpError(
        ErrorCode.InvalidParams,
        `No runbook for '${String(name)}'. Read ops://services for the service names.`,
      );
    }
    return { contents: [{ uri: uri.href, mimeType: "text/markdown", text }] };
  },
);

server.registerResource(
  "incident",
  new ResourceTemplate("ops://incidents/{id}", { list: undefined }),
  {
    description: "One incident as JSON. Reading it changes nothing (acknowledge with acknowledge_incident).",
    mimeType: "application/json",
  },
  (uri, { id }) => {
    const incident = desk.get(String(id));
    if (!incident) throw new McpError(ErrorCode.InvalidParams, `No incident '${String(id)}'.`);
    return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(incident) }] };
  },
);

server.registerPrompt(
  "postmortem",
  {
    title: "Draft a postmortem",
    description: "Draft a blameless postmortem for an incident from the team's template.",
    argsSchema: { incident_id: z.string().describe("The incident to write up, e.g. INC-0001.") },
  },
  ({ incident_id }) => {
    const incident = desk.get(incident_id);
    // Prompts are started by a user; tell the model to ask rather than failing the request.
    const text = incident
      ? `Draft a blameless postmortem for incident ${incident.id}. Fill in every section of the template ` +
        `below; use the runbook at ops://services/${incident.service}/runbook for context, and keep the ` +
        `header lines as they are.\n\n${renderPostmortem(incident)}`
      : `There is no incident '${incident_id}'. Ask the user for the incident id (ids look like INC-0001).`;
    return { messages: [{ role: "user", content: { type: "text", text } }] };
  },
);

await server.connect(new StdioServerTransport());
console.error("ops desk running on stdio");

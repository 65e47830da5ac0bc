// The operations desk's fixed data and rules, as the starters implement them: the grader's copy of
// what `do_everything` answered, so the new surface can be held to "the same results".
// The starters (starter/python/server.py, starter/typescript/server.ts) carry the same services,
// runbooks and postmortem template; tests/labs/contract-boundaries.test.ts proves they agree.

export type Service = { name: string; team: string; tier: number };

export const SERVICES: readonly Service[] = [
  { name: "checkout", team: "payments", tier: 1 },
  { name: "identity", team: "accounts", tier: 1 },
  { name: "search", team: "discovery", tier: 2 },
  { name: "notifications", team: "messaging", tier: 2 },
  { name: "reports", team: "analytics", tier: 3 },
];

export const RUNBOOKS: Readonly<Record<string, string>> = {
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

export const SEVERITIES = ["critical", "major", "minor"] as const;
export type Severity = (typeof SEVERITIES)[number];
export type IncidentState = "open" | "acknowledged" | "resolved";

export type Incident = {
  id: string;
  service: string;
  title: string;
  severity: Severity;
  state: IncidentState;
  resolution: string | null;
};

export type Status = "operational" | "degraded" | "outage";

/**
 * A service's status from its unresolved (open or acknowledged) incidents: any critical one is an
 * outage, else any major one makes it degraded; minor incidents leave it operational.
 */
export function statusOf(unresolved: readonly Severity[]): Status {
  if (unresolved.includes("critical")) return "outage";
  if (unresolved.includes("major")) return "degraded";
  return "operational";
}

/** The postmortem template exactly as `do_everything`'s `postmortem` action rendered it. */
export function renderPostmortem(incident: Incident): string {
  const service = SERVICES.find((s) => s.name === incident.service);
  const owner = service ? `team ${service.team}, tier ${service.tier}` : "unknown team";
  return [
    `# Postmortem: ${incident.title}`,
    "",
    `- Incident: ${incident.id}`,
    `- Service: ${incident.service} (${owner})`,
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

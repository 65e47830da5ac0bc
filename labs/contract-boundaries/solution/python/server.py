"""Operations desk: the reference solution of the `contract-boundaries` lab (Python).

The starter's `do_everything(action, payload)` split along the lines module 1 teaches:

- tools for what the model decides to do, one per task, each with a typed schema and annotations
  that say what it changes: get_service_status (read-only), create_incident, acknowledge_incident,
  resolve_incident, delete_incident (destructive);
- resources for data an application reads as context: ops://services, the runbook template
  ops://services/{name}/runbook and the incident template ops://incidents/{id}, none of which
  writes anything;
- a prompt the user starts on purpose: postmortem(incident_id).

Uses the official MCP Python SDK (`mcp` 2.3.0); `MCPServer` is 1.x's `FastMCP`.
"""

import json
import logging
import sys
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, GetPromptResult, InputRequiredResult, ToolAnnotations
from pydantic import BaseModel, Field

# stderr only: on stdio transport, stdout is the protocol channel.
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("ops-desk")

Severity = Literal["critical", "major", "minor"]

SERVICES: list[dict[str, Any]] = [
    {"name": "checkout", "team": "payments", "tier": 1},
    {"name": "identity", "team": "accounts", "tier": 1},
    {"name": "search", "team": "discovery", "tier": 2},
    {"name": "notifications", "team": "messaging", "tier": 2},
    {"name": "reports", "team": "analytics", "tier": 3},
]

RUNBOOKS: dict[str, str] = {
    "checkout": "\n".join(
        [
            "# Runbook: checkout",
            "",
            "Owner: payments (tier 1)",
            "",
            "1. Open the checkout dashboard and compare the error rate per payment provider.",
            "2. If one provider fails, switch traffic to the other with the `payments-failover` flag.",
            "3. If the database is saturated, turn on the `checkout-readonly` flag to shed writes.",
            "4. Page the payments on-call when errors stay above 2% for 10 minutes.",
        ]
    ),
    "identity": "\n".join(
        [
            "# Runbook: identity",
            "",
            "Owner: accounts (tier 1)",
            "",
            "1. Check the login success rate and the token signing latency.",
            "2. If signing keys fail to load, roll back the last key rotation.",
            "3. If the session store is slow, extend session lifetimes with `sessions-extend`.",
            "4. Never disable MFA to restore logins; page the accounts on-call instead.",
        ]
    ),
    "search": "\n".join(
        [
            "# Runbook: search",
            "",
            "Owner: discovery (tier 2)",
            "",
            "1. Check query latency and the indexing backlog.",
            "2. If the backlog grows, pause bulk re-indexing jobs.",
            "3. If results are stale, serve from the previous index snapshot.",
            "4. Open a ticket for discovery during business hours; page only for a full outage.",
        ]
    ),
    "notifications": "\n".join(
        [
            "# Runbook: notifications",
            "",
            "Owner: messaging (tier 2)",
            "",
            "1. Check the delivery queue depth and the provider bounce rate.",
            "2. If a provider throttles, lower the send rate with `notify-rate-limit`.",
            "3. Never replay the dead-letter queue without deduplication.",
            "4. Page the messaging on-call when deliveries are delayed by more than 15 minutes.",
        ]
    ),
    "reports": "\n".join(
        [
            "# Runbook: reports",
            "",
            "Owner: analytics (tier 3)",
            "",
            "1. Check the nightly job status and the warehouse load.",
            "2. Re-run failed jobs once; a second failure waits for business hours.",
            "3. Tell users on the status page when reports are late.",
        ]
    ),
}


class Incident(BaseModel):
    id: str
    service: str
    title: str
    severity: Severity
    state: Literal["open", "acknowledged", "resolved"]
    resolution: str | None


class ServiceStatus(BaseModel):
    service: str
    status: Literal["operational", "degraded", "outage"]
    open_incidents: list[str]


class Deleted(BaseModel):
    id: str
    deleted: bool


class OpsDesk:
    """The domain: knows nothing about MCP. Reads never write; every write is one explicit method."""

    def __init__(self) -> None:
        self._incidents: dict[str, Incident] = {}
        self._next = 1

    def service(self, name: str) -> dict[str, Any] | None:
        return next((s for s in SERVICES if s["name"] == name), None)

    def require_service(self, name: str) -> dict[str, Any]:
        found = self.service(name)
        if found is None:
            known = ", ".join(s["name"] for s in SERVICES)
            raise ToolError(f"No service '{name}'. Known services: {known} (also listed at ops://services).")
        return found

    def get(self, incident_id: str) -> Incident | None:
        return self._incidents.get(incident_id)

    def require(self, incident_id: str) -> Incident:
        incident = self.get(incident_id)
        if incident is None:
            raise ToolError(
                f"No incident '{incident_id}'. Use the id create_incident returned, "
                "or the ids get_service_status lists as open_incidents."
            )
        return incident

    def status(self, name: str) -> ServiceStatus:
        unresolved = [i for i in self._incidents.values() if i.service == name and i.state != "resolved"]
        severities = {i.severity for i in unresolved}
        status = "outage" if "critical" in severities else "degraded" if "major" in severities else "operational"
        return ServiceStatus(service=name, status=status, open_incidents=[i.id for i in unresolved])

    def create(self, service: str, title: str, severity: Severity) -> Incident:
        incident = Incident(
            id=f"INC-{self._next:04d}", service=service, title=title, severity=severity, state="open", resolution=None
        )
        self._next += 1
        self._incidents[incident.id] = incident
        return incident

    def acknowledge(self, incident: Incident) -> Incident:
        if incident.state == "resolved":
            raise ToolError(f"{incident.id} is already resolved; there is nothing left to acknowledge.")
        incident.state = "acknowledged"
        return incident

    def resolve(self, incident: Incident, resolution: str) -> Incident:
        if incident.state != "resolved":  # resolving twice keeps the first resolution
            incident.state = "resolved"
            incident.resolution = resolution
        return incident

    def delete(self, incident: Incident) -> None:
        del self._incidents[incident.id]


def render_postmortem(incident: Incident) -> str:
    """The template the starter's `postmortem` action returned, unchanged."""
    service = desk.service(incident.service)
    owner = f"team {service['team']}, tier {service['tier']}" if service else "unknown team"
    return "\n".join(
        [
            f"# Postmortem: {incident.title}",
            "",
            f"- Incident: {incident.id}",
            f"- Service: {incident.service} ({owner})",
            f"- Severity: {incident.severity}",
            f"- State: {incident.state}",
            f"- Resolution: {incident.resolution or 'not resolved yet'}",
            "",
            "## Summary",
            "",
            "## Timeline",
            "",
            "## Root cause",
            "",
            "## Action items",
        ]
    )


class OpsDeskServer(MCPServer):
    """MCPServer with one protocol fix: in mcp 2.3.0 an unknown prompt name comes back as JSON-RPC
    error code 0; the spec's answer for a bad name is -32602 (invalid params)."""

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Context | None = None
    ) -> GetPromptResult | InputRequiredResult:
        if name not in {p.name for p in await self.list_prompts()}:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown prompt: {name}. Call prompts/list for the names.")
        return await super().get_prompt(name, arguments, context)


desk = OpsDesk()
mcp = OpsDeskServer(
    name="ops-desk",
    version="1.0.0",
    instructions="The on-call operations desk. Services and runbooks are resources (ops://services, "
    "ops://services/{name}/runbook); incidents are read at ops://incidents/{id} and changed with the "
    "incident tools; the postmortem prompt drafts a postmortem.",
)

IncidentId = Annotated[str, Field(min_length=1, description="Incident id as create_incident returned it, e.g. INC-0001.")]
ServiceName = Annotated[str, Field(min_length=1, description="Service name as listed at ops://services, e.g. checkout.")]


@mcp.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def get_service_status(service: ServiceName) -> ServiceStatus:
    """Get a service's live status (operational, degraded or outage) and the ids of its unresolved incidents.

    Use this when the user asks whether a service is healthy or what is open on it. Changes nothing.
    """
    return desk.status(desk.require_service(service)["name"])


@mcp.tool(
    annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)
)
def create_incident(
    service: ServiceName,
    title: Annotated[str, Field(min_length=3, max_length=120, description="What is wrong, in one line.")],
    severity: Annotated[Severity, Field(description="critical: outage; major: degraded; minor: no user impact yet.")],
) -> Incident:
    """Open a new incident on a service. Use this when the user reports a problem that is not tracked yet.

    Each call opens another incident: check get_service_status first to avoid duplicates.
    """
    name = desk.require_service(service)["name"]
    incident = desk.create(name, title, severity)
    log.info("created %s on %s", incident.id, name)
    return incident


@mcp.tool(
    annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
)
def acknowledge_incident(incident_id: IncidentId) -> Incident:
    """Mark an open incident as acknowledged. Use this when someone on call takes the incident.

    Acknowledging twice changes nothing; a resolved incident cannot be acknowledged.
    """
    return desk.acknowledge(desk.require(incident_id))


@mcp.tool(
    annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
)
def resolve_incident(
    incident_id: IncidentId,
    resolution: Annotated[str, Field(min_length=1, max_length=500, description="What fixed it, in a sentence.")],
) -> Incident:
    """Mark an incident as resolved and record what fixed it. Use this when the user says the problem is fixed.

    Resolving an already resolved incident changes nothing.
    """
    return desk.resolve(desk.require(incident_id), resolution)


@mcp.tool(
    annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False)
)
def delete_incident(incident_id: IncidentId) -> Deleted:
    """Permanently delete an incident, e.g. one opened by mistake. Use this only when the user explicitly asks.

    Deleting cannot be undone; prefer resolve_incident for incidents that really happened.
    """
    incident = desk.require(incident_id)
    desk.delete(incident)
    log.info("deleted %s", incident.id)
    return Deleted(id=incident.id, deleted=True)


@mcp.resource("ops://services", name="services", mime_type="application/json")
def services() -> str:
    """Every service with its owning team and tier, as a JSON array."""
    return json.dumps(SERVICES)


@mcp.resource("ops://services/{name}/runbook", name="runbook", mime_type="text/markdown")
def runbook(name: str) -> str:
    """A service's on-call runbook (Markdown)."""
    text = RUNBOOKS.get(name)
    if text is None:
        raise ResourceNotFoundError(f"No runbook for '{name}'. Read ops://services for the service names.")
    return text


@mcp.resource("ops://incidents/{id}", name="incident", mime_type="application/json")
def read_incident(id: str) -> str:
    """One incident as JSON. Reading it changes nothing (acknowledge with acknowledge_incident)."""
    incident = desk.get(id)
    if incident is None:
        raise ResourceNotFoundError(f"No incident '{id}'.")
    return incident.model_dump_json()


@mcp.prompt(title="Draft a postmortem")
def postmortem(
    incident_id: Annotated[str, Field(description="The incident to write up, e.g. INC-0001.")],
) -> str:
    """Draft a blameless postmortem for an incident from the team's template."""
    incident = desk.get(incident_id)
    if incident is None:
        # Prompts are started by a user; tell the model to ask rather than failing the request.
        return f"There is no incident '{incident_id}'. Ask the user for the incident id (ids look like INC-0001)."
    return (
        f"Draft a blameless postmortem for incident {incident.id}. Fill in every section of the template "
        f"below; use the runbook at ops://services/{incident.service}/runbook for context, and keep the "
        "header lines as they are.\n\n" + render_postmortem(incident)
    )


if __name__ == "__main__":
    log.info("ops desk starting on stdio")
    mcp.run()

"""Operations desk: your starting point for the `contract-boundaries` lab (Python).

Uses the official MCP Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level
server that mcp 1.x and most tutorials call `FastMCP` (`from mcp.server.fastmcp import FastMCP`).

It works: an agent can do everything the on-call desk needs. That is the problem. Every capability
hides behind one tool, `do_everything(action, payload)`, whose schema says nothing about any of
them, so a host cannot tell the harmless reads from the delete. Two side effects hide in places a
host treats as safe, too. Read README.md for the contract to build and the checks that grade it.
Run the grader locally with:

    npm run grade -- --lab contract-boundaries --dir labs/contract-boundaries/starter/python --lang python
"""

import json
import logging
import sys
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError

# stderr only: on stdio transport, stdout is the protocol channel.
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("ops-desk")

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

SEVERITIES = ("critical", "major", "minor")

# id -> {"id", "service", "title", "severity", "state", "resolution"}; state is open | acknowledged | resolved.
INCIDENTS: dict[str, dict[str, Any]] = {}
_counter = {"next": 1}


def _service(name: Any) -> dict[str, Any]:
    for service in SERVICES:
        if service["name"] == name:
            return service
    names = ", ".join(s["name"] for s in SERVICES)
    raise ToolError(f"No service {name!r}. Known services: {names}.")


def _incident(incident_id: Any) -> dict[str, Any]:
    incident = INCIDENTS.get(str(incident_id))
    if incident is None:
        raise ToolError(f"No incident {incident_id!r}. Incident ids look like INC-0001.")
    return incident


def _status(name: str) -> dict[str, Any]:
    unresolved = [i for i in INCIDENTS.values() if i["service"] == name and i["state"] != "resolved"]
    severities = {i["severity"] for i in unresolved}
    status = "outage" if "critical" in severities else "degraded" if "major" in severities else "operational"
    return {"service": name, "status": status, "open_incidents": [i["id"] for i in unresolved]}


def _postmortem(incident: dict[str, Any]) -> str:
    service = next((s for s in SERVICES if s["name"] == incident["service"]), None)
    owner = f"team {service['team']}, tier {service['tier']}" if service else "unknown team"
    return "\n".join(
        [
            f"# Postmortem: {incident['title']}",
            "",
            f"- Incident: {incident['id']}",
            f"- Service: {incident['service']} ({owner})",
            f"- Severity: {incident['severity']}",
            f"- State: {incident['state']}",
            f"- Resolution: {incident['resolution'] or 'not resolved yet'}",
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


mcp = MCPServer(
    name="ops-desk",
    version="0.1.0",
    instructions="The on-call operations desk. Everything goes through do_everything.",
)


@mcp.tool()
def do_everything(action: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """Does everything on the operations desk. Pick an action and put its arguments in payload.

    Actions: list_services, service_status {service}, runbook {service},
    create_incident {service, title, severity}, acknowledge {incident_id},
    resolve {incident_id, resolution}, delete_incident {incident_id}, postmortem {incident_id}.
    """
    p = payload or {}
    if action == "list_services":
        return {"services": SERVICES}
    if action == "service_status":
        name = _service(p.get("service"))["name"]
        status = _status(name)
        # Whoever looks at the status is on it: acknowledge what is still open.
        for incident in INCIDENTS.values():
            if incident["service"] == name and incident["state"] == "open":
                incident["state"] = "acknowledged"
        return status
    if action == "runbook":
        name = _service(p.get("service"))["name"]
        return {"service": name, "runbook": RUNBOOKS[name]}
    if action == "create_incident":
        name = _service(p.get("service"))["name"]
        title = str(p.get("title", "")).strip()
        if not title:
            raise ToolError("create_incident needs a title.")
        severity = p.get("severity")
        if severity not in SEVERITIES:
            raise ToolError(f"severity must be one of {', '.join(SEVERITIES)}.")
        incident_id = f"INC-{_counter['next']:04d}"
        _counter["next"] += 1
        incident = {
            "id": incident_id,
            "service": name,
            "title": title,
            "severity": severity,
            "state": "open",
            "resolution": None,
        }
        INCIDENTS[incident_id] = incident
        log.info("created %s on %s", incident_id, name)
        return dict(incident)
    if action == "acknowledge":
        incident = _incident(p.get("incident_id"))
        if incident["state"] == "resolved":
            raise ToolError(f"{incident['id']} is already resolved.")
        incident["state"] = "acknowledged"
        return dict(incident)
    if action == "resolve":
        incident = _incident(p.get("incident_id"))
        if incident["state"] != "resolved":
            incident["state"] = "resolved"
            incident["resolution"] = str(p.get("resolution", ""))
        return dict(incident)
    if action == "delete_incident":
        incident = _incident(p.get("incident_id"))
        del INCIDENTS[incident["id"]]
        log.info("deleted %s", incident["id"])
        return {"id": incident["id"], "deleted": True}
    if action == "postmortem":
        incident = _incident(p.get("incident_id"))
        return {"incident_id": incident["id"], "template": _postmortem(incident)}
    raise ToolError(f"Unknown action {action!r}.")


@mcp.resource("ops://incidents/{id}", name="incident", mime_type="application/json")
def read_incident(id: str) -> str:
    """One incident as JSON."""
    incident = INCIDENTS.get(id)
    if incident is None:
        raise ResourceNotFoundError(f"No incident {id!r}.")
    body = json.dumps(incident)
    # Someone opened it, so someone is on it.
    if incident["state"] == "open":
        incident["state"] = "acknowledged"
    return body


if __name__ == "__main__":
    log.info("ops desk starting on stdio")
    mcp.run()

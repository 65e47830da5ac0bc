"""Support desk: the starter of the `sampling-elicitation` lab (Python).

The official MCP Python SDK (`mcp` 2.3.0) over Streamable HTTP. `MCPServer` is the 2.x name of the
high-level server that mcp 1.x and this course's text call `FastMCP`.

The desk works, but it never asks the client for anything. Your job (README.md has the details):

1. summarize_ticket and triage_ticket: ask the client's model (sampling/createMessage) with the
   ticket, inside the call; fall back to an answer of your own when the client cannot sample; treat
   the model's answer as untrusted (triage: only an exact category, else needs_human).
2. create_ticket: priority and description become optional; when one is missing, ask the user with
   a form (flat, primitive fields), report decline and cancel, and tell the model which arguments
   to pass when the client cannot show a form.
3. connect_crm: the API key must never be an argument or a form field. Use URL mode when the
   client offers it; otherwise a tool error that names the page to open.

Useful: `ctx.client_capabilities`, `ctx.elicit(...)`, `ctx.elicit_url(...)`, and the resolvers
`Resolve`, `Sample`, `Elicit` (from mcp.server.mcpserver), which also give you the 2026-07-28
multi-round-trip form for free. Lessons: course module 6.
"""

import logging
import os
import sys
from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("support-desk")

Priority = Literal["low", "normal", "high"]
Category = Literal["billing", "bug", "account", "other"]

mcp = MCPServer("support-desk")


class Ticket(BaseModel):
    id: str
    subject: str
    priority: Priority
    description: str
    category: Category | Literal["needs_human"] | None = None


class CreateOutcome(BaseModel):
    status: Literal["created", "declined", "cancelled"]
    message: str
    ticket: Ticket | None


class TicketList(BaseModel):
    tickets: list[Ticket]


class Summary(BaseModel):
    ticket_id: str
    summary: str
    source: Literal["model", "fallback"]
    model: str | None


class Triage(BaseModel):
    ticket_id: str
    category: Category | Literal["needs_human"]
    source: Literal["model", "fallback"]


class CrmConnection(BaseModel):
    status: Literal["opened", "declined", "cancelled"]
    message: str


class Deleted(BaseModel):
    deleted: str


TICKETS: dict[str, Ticket] = {
    "T-1": Ticket(id="T-1", subject="Invoice charged twice", priority="high", description="I was charged twice in May."),
    "T-2": Ticket(id="T-2", subject="Cannot reset password", priority="normal", description="The reset mail never arrives."),
}
_next_id = len(TICKETS) + 1


def _ticket(ticket_id: str) -> Ticket:
    ticket = TICKETS.get(ticket_id)
    if ticket is None:
        raise ToolError(f"No ticket {ticket_id!r}. list_tickets shows the ids.")
    return ticket


@mcp.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False))
def create_ticket(
    subject: Annotated[str, Field(min_length=1, max_length=120)],
    priority: Priority,
    description: Annotated[str, Field(min_length=1, max_length=2000)],
) -> CreateOutcome:
    """Open a support ticket with its subject, priority and description."""
    # TODO: make priority and description optional and ask the user for them (form elicitation).
    global _next_id
    ticket = Ticket(id=f"T-{_next_id}", subject=subject, priority=priority, description=description)
    _next_id += 1
    TICKETS[ticket.id] = ticket
    return CreateOutcome(status="created", message=f"Ticket {ticket.id} created.", ticket=ticket)


@mcp.tool(annotations=ToolAnnotations(read_only_hint=True))
def list_tickets() -> TicketList:
    """List every ticket with its priority and triage category."""
    return TicketList(tickets=list(TICKETS.values()))


@mcp.tool(annotations=ToolAnnotations(read_only_hint=True))
def summarize_ticket(ticket_id: str) -> Summary:
    """Summarise a ticket in a sentence or two."""
    ticket = _ticket(ticket_id)
    # TODO: ask the client's model when it can sample; keep this as the fallback.
    return Summary(ticket_id=ticket.id, summary=ticket.subject, source="fallback", model=None)


@mcp.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True))
def triage_ticket(ticket_id: str) -> Triage:
    """Set a ticket's category (billing, bug, account, other); needs_human when it cannot decide."""
    ticket = _ticket(ticket_id)
    # TODO: ask the client's model for the category; accept only an exact category.
    ticket.category = "needs_human"
    return Triage(ticket_id=ticket.id, category="needs_human", source="fallback")


@mcp.tool(annotations=ToolAnnotations(read_only_hint=False, open_world_hint=True))
def connect_crm(api_key: str) -> CrmConnection:
    """Connect the desk to the user's CRM account with its API key."""
    # TODO: a secret must never pass through the model or the client. Remove api_key and send the
    # user to https://desk.example.com/connect/crm with URL-mode elicitation instead.
    log.info("CRM connected with a key of %d characters", len(api_key))
    return CrmConnection(status="opened", message="CRM connected.")


@mcp.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True))
def delete_ticket(ticket_id: str) -> Deleted:
    """Delete one ticket for good. Only when the user asked for exactly this ticket to be deleted."""
    _ticket(ticket_id)
    del TICKETS[ticket_id]
    return Deleted(deleted=ticket_id)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    log.info("support-desk listening on http://127.0.0.1:%d/mcp", port)
    mcp.run(transport="streamable-http", host="127.0.0.1", port=port)

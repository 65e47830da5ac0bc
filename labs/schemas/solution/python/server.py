"""Ticket triage: the reference solution of the `schemas` lab (Python).

Strict input schemas, typed structured output and actionable errors, with the official MCP
Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level server that mcp 1.x and
this course's text call `FastMCP` (`from mcp.server.fastmcp import FastMCP`).

stdout carries the JSON-RPC protocol and nothing else: every log line goes to stderr.
"""

import json
import logging
import sys
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, GetPromptResult, InputRequiredResult, ToolAnnotations
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("tickets")

Priority = Literal["low", "medium", "high", "urgent"]
Component = Literal["api", "web", "mobile", "billing", "infra"]


def _unique(labels: list[str]) -> list[str]:
    if len(set(labels)) != len(labels):
        raise ValueError("labels must be unique")
    return labels


Label = Annotated[str, Field(min_length=1, max_length=30)]
Labels = Annotated[
    list[Label],
    Field(max_length=5, json_schema_extra={"uniqueItems": True}, description="Up to 5 distinct labels."),
    AfterValidator(_unique),
]


class Ticket(BaseModel):
    """A triaged ticket, exactly as get_ticket and tickets://v1/{id} return it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^TCK-\d{4,}$", description="Stable ticket id, e.g. TCK-0001.")
    title: str
    priority: Priority
    component: Component
    estimate_hours: int = Field(ge=1, le=40)
    labels: list[str]
    status: Literal["open"]
    uri: str = Field(description="The versioned resource URI of this ticket.")


tickets: dict[str, Ticket] = {}


def create_ticket(
    title: Annotated[str, Field(min_length=3, max_length=120, description="One-line summary, 3 to 120 characters.")],
    component: Annotated[Component, Field(description="The part of the product that is affected.")],
    estimate_hours: Annotated[int, Field(ge=1, le=40, description="Whole hours of work, 1 to 40.")],
    priority: Annotated[Priority, Field(description="How urgent the fix is. Defaults to medium.")] = "medium",
    labels: Labels | None = None,
) -> Ticket:
    """Open a new ticket in the triage queue. Use this when the user reports a bug or asks for work to be tracked.

    Returns the created ticket; its `id` is what get_ticket expects.
    """
    ticket_id = f"TCK-{len(tickets) + 1:04d}"
    ticket = Ticket(
        id=ticket_id,
        title=title,
        priority=priority,
        component=component,
        estimate_hours=estimate_hours,
        labels=labels or [],
        status="open",
        uri=f"tickets://v1/{ticket_id}",
    )
    tickets[ticket_id] = ticket
    log.info("created %s", ticket_id)
    return ticket


def get_ticket(id: Annotated[str, Field(description="A ticket id returned by create_ticket, e.g. TCK-0001.")]) -> Ticket:
    """Fetch one ticket by id. Use this to check a ticket's priority, estimate or labels."""
    ticket = tickets.get(id)
    if ticket is None:
        # A domain error the model can act on: name the input and say what to do next.
        raise ToolError(
            f"No ticket with id '{id}'. Ticket ids look like TCK-0001 and are returned by create_ticket; "
            "check the id or create the ticket first."
        )
    return ticket


def forbid_extra_arguments(tool: Tool) -> Tool:
    """Reject unknown arguments instead of silently dropping them.

    pydantic ignores extra keys by default, so a typo like `priorty` would vanish and the default
    would win. Swapping in a subclass of the generated argument model with extra="forbid" makes the
    SDK reject them, and the published inputSchema gains `additionalProperties: false`.
    """
    base = tool.fn_metadata.arg_model
    strict = type(base.__name__, (base,), {"model_config": ConfigDict(extra="forbid", arbitrary_types_allowed=True)})
    tool.fn_metadata.arg_model = strict
    tool.parameters = strict.model_json_schema(by_alias=True)
    return tool



class TicketServer(MCPServer):
    """MCPServer with one protocol fix: in mcp 2.3.0 an unknown prompt name comes back as JSON-RPC
    error code 0; the spec's answer for a bad name is -32602 (invalid params)."""

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Context | None = None
    ) -> GetPromptResult | InputRequiredResult:
        if name not in {p.name for p in await self.list_prompts()}:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown prompt: {name}. Call prompts/list for the names.")
        return await super().get_prompt(name, arguments, context)

read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)
mcp = TicketServer(
    name="ticket-triage",
    instructions="Create tickets with create_ticket and read them with get_ticket or tickets://v1/{id}. "
    "The ticket JSON Schema is at schema://v1/ticket.",
    tools=[
        forbid_extra_arguments(
            Tool.from_function(create_ticket, annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False))
        ),
        forbid_extra_arguments(Tool.from_function(get_ticket, annotations=read_only)),
    ],
)


@mcp.resource("tickets://v1/{id}", name="ticket", mime_type="application/json")
def read_ticket(id: str) -> str:
    """One ticket as JSON (version 1 of the ticket format; see schema://v1/ticket)."""
    ticket = tickets.get(id)
    if ticket is None:
        raise ResourceNotFoundError(f"No ticket with id '{id}'. Use an id returned by create_ticket, e.g. TCK-0001.")
    return ticket.model_dump_json()


@mcp.resource("schema://v1/ticket", name="ticket-schema", mime_type="application/schema+json")
def ticket_schema() -> str:
    """The JSON Schema of a ticket, version 1. A breaking change gets schema://v2/ticket."""
    return json.dumps(Ticket.model_json_schema())


if __name__ == "__main__":
    log.info("ticket triage server starting on stdio")
    mcp.run()

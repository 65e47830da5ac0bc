"""Ticket triage: your starting point for the `schemas` lab (Python).

Uses the official MCP Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level
server that mcp 1.x and this course's text call `FastMCP` (`from mcp.server.fastmcp import FastMCP`).

It works for a happy-path demo, and that is all: the schemas accept anything, the output has
no declared shape, and errors hand the caller a Python traceback. Read README.md for the task
and the checks that grade it. Run the grader locally with:

    npm run grade -- --lab schemas --dir labs/schemas/starter/python --lang python
"""

import json
import logging
import sys
import traceback

from mcp.server.mcpserver import MCPServer

logging.basicConfig(stream=sys.stderr, level=logging.INFO)

mcp = MCPServer(name="ticket-triage")
tickets = {}


@mcp.tool()
def create_ticket(title: str, component: str, estimate_hours: float, priority: str = "medium", labels: list = None):
    """Create a ticket."""
    ticket_id = f"TCK-{len(tickets) + 1:04d}"
    tickets[ticket_id] = {
        "id": ticket_id,
        "title": title,
        "priority": priority,
        "component": component,
        "estimate_hours": estimate_hours,
        "labels": labels or [],
        "status": "open",
    }
    return json.dumps(tickets[ticket_id])


@mcp.tool()
def get_ticket(id: str):
    """Get a ticket."""
    try:
        return json.dumps(tickets[id])
    except Exception:
        return "Something went wrong:\n" + traceback.format_exc()


@mcp.resource("tickets://{id}")
def read_ticket(id: str) -> str:
    return json.dumps(tickets[id])


if __name__ == "__main__":
    mcp.run()

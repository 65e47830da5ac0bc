"""Ops desk: your capstone (Python, `mcp` 2.3.0).

A skeleton that starts and serves Streamable HTTP, and nothing more: every tool answers "not built
yet", nothing is protected, nothing is logged. README.md is the brief: what to build, which
environment variables the grader sets (the authorization server, the billing and inventory APIs),
what each check expects, and how to run the grader locally.

The labs you solved before hold most of the pieces: oauth-resource-server (the token layer, scopes,
the billing API), injection-defense (documents under a root, fenced text, dry runs),
resilience-observability (the inventory API, logs, metrics), streamable-http (sessions, Origin).

stdout is not the protocol channel here (HTTP), but keep logs on stderr anyway: the grader reads them.
"""

import os

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

VERSION = "0.1.0"  # the version of your tool contract: keep contract/tools.json and CHANGELOG.md in step

mcp = MCPServer("ops-desk", version=VERSION)


def not_built(what: str) -> ToolError:
    return ToolError(f"Not built yet: {what}. See README.md.")


@mcp.tool()
def whoami() -> dict:
    """Show who the access token belongs to: user, organisation and scopes."""
    raise not_built("whoami reads sub, tenant and scope from the verified access token")


@mcp.tool()
def read_document(path: str) -> dict:
    """Read one runbook from docs/."""
    raise not_built("read_document returns a document under docs/, fenced as untrusted text")


@mcp.tool()
def delete_document(path: str, dry_run: bool = True) -> dict:
    """Delete one document from docs/ (a preview unless dry_run is false)."""
    raise not_built("delete_document previews by default and deletes with dry_run=false")


@mcp.tool()
def get_stock(sku: str) -> dict:
    """How many units of a product are available, from the inventory API."""
    raise not_built("get_stock calls GET $UPSTREAM_URL/v1/stock/<sku>")


@mcp.tool()
def billing_summary() -> dict:
    """The organisation's invoices, from the billing API."""
    raise not_built("billing_summary calls the billing API with this server's own token")


if __name__ == "__main__":
    uvicorn.run(mcp.streamable_http_app(), host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")

"""Inventory: your starting point for the `resilience-observability` lab (Python).

Uses the official MCP Python SDK (`mcp` 2.3.0; `MCPServer` is the 2.x name of 1.x `FastMCP`) and
`httpx2`, the HTTP client the SDK itself installs (the API of `httpx`).

get_stock works while the inventory API is healthy, and that is all: no timeout of its own, no
retry, no circuit breaker, the upstream's error body handed to the user, plain-text logs and no
metrics. Read README.md for the task and the checks that grade it. Run the grader locally with:

    npm run grade -- --lab resilience-observability --dir labs/resilience-observability/starter/python --lang python
"""

import logging
import os
import sys

import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

# The grader runs the inventory API and passes its address and a bearer token in the environment.
UPSTREAM_URL = os.environ.get("UPSTREAM_URL", "http://127.0.0.1:9100")
UPSTREAM_TOKEN = os.environ.get("UPSTREAM_TOKEN", "")

logging.basicConfig(stream=sys.stderr, level=logging.INFO)
log = logging.getLogger("inventory")

mcp = MCPServer("inventory", version="0.1.0")
client = httpx2.AsyncClient()


class Stock(BaseModel):
    sku: str
    available: int
    warehouse: str


@mcp.tool()
async def get_stock(sku: str) -> Stock:
    """How many units of a product are available, and in which warehouse.

    Use this when the user asks whether an item is in stock or how many can be promised.
    """
    log.info("get_stock %s", sku)
    response = await client.get(
        f"{UPSTREAM_URL}/v1/stock/{sku}", headers={"Authorization": f"Bearer {UPSTREAM_TOKEN}"}
    )
    if response.status_code != 200:
        raise ToolError(f"Upstream error {response.status_code}: {response.text}")
    return Stock.model_validate(response.json())


if __name__ == "__main__":
    mcp.run()

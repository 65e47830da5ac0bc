"""Hello service: your starting point for the `streamable-http` lab (Python).

Uses the official MCP Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level server
that mcp 1.x and this course's text call `FastMCP` (`from mcp.server.fastmcp import FastMCP`).

This service works, over stdio, for one client at a time. The lab moves it to Streamable HTTP,
where many clients share one process. Read README.md for the task and the checks that grade it,
and run the grader locally with:

    npm run grade -- --lab streamable-http --dir labs/streamable-http/starter/python --lang python
"""

import json
import logging
import sys

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from pydantic import BaseModel

logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("hello")

mcp = MCPServer(name="hello-http", version="1.0.0")


# Typed results: the SDK publishes an outputSchema and fills structuredContent from them.
class Greeting(BaseModel):
    greeting: str


class SentGreeting(BaseModel):
    id: str
    to: str
    message: str
    replayed: bool


class Outbox(BaseModel):
    greetings: list[SentGreeting]


class CountResult(BaseModel):
    job: str
    counted: int


# Over stdio one process serves one client, so module-level state was "the client's state".
sent: list[SentGreeting] = []
jobs: dict[str, dict] = {}


@mcp.tool()
def greet(name: str) -> Greeting:
    """Say hello to someone. Use this when the user wants a greeting; it stores nothing."""
    return Greeting(greeting=f"Hello, {name}!")


@mcp.tool()
def send_greeting(to: str, message: str, idempotency_key: str) -> SentGreeting:
    """Send a greeting and keep it in the outbox. Use this when the user asks to send a greeting."""
    # TODO: a retry with the same idempotency_key must return the first greeting (replayed: true)
    #       and send nothing; the same key with a different greeting is an error.
    greeting = SentGreeting(id=f"g-{len(sent) + 1}", to=to, message=message, replayed=False)
    sent.append(greeting)
    return greeting


@mcp.tool()
def outbox() -> Outbox:
    """List the greetings sent so far, oldest first. Use this to check what was already sent."""
    return Outbox(greetings=sent)


@mcp.tool()
async def slow_count(job: str, n: int, delay_ms: int = 100) -> CountResult:
    """Count from 1 to n, one tick every delay_ms. Use this to try long-running calls."""
    jobs[job] = {"job": job, "n": n, "ticks": 0, "state": "running"}
    for tick in range(1, n + 1):
        await anyio.sleep(delay_ms / 1000)
        jobs[job]["ticks"] = tick
        # TODO: report progress when the client asked for it (a progressToken in the request).
    jobs[job]["state"] = "done"
    return CountResult(job=job, counted=n)


@mcp.resource("jobs://{job}", name="job", mime_type="application/json")
def job_status(job: str) -> str:
    """A slow_count job: how far it got (ticks) and whether it is running or done."""
    if job not in jobs:
        raise ResourceNotFoundError(f"No job '{job}'. Start one with slow_count(job=...).")
    return json.dumps(jobs[job])


if __name__ == "__main__":
    # TODO: serve Streamable HTTP on 127.0.0.1, port from the PORT environment variable, path /mcp.
    log.info("hello-http serving on stdio")
    mcp.run()

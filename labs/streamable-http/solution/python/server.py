"""Hello service over Streamable HTTP: the reference solution of the `streamable-http` lab (Python).

The official MCP Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level server that
mcp 1.x and this course's text call `FastMCP` (`from mcp.server.fastmcp import FastMCP`).

What the SDK does for you once you call `mcp.run(transport="streamable-http", ...)`:
- one MCP endpoint at /mcp, a `Mcp-Session-Id` per `initialize`, 400 without it, 404 after DELETE;
- DNS-rebinding protection for a localhost bind (foreign Host or Origin -> 403);
- Accept and MCP-Protocol-Version validation (406, 400);
- `notifications/cancelled` interrupts the tool's task at its next `await`;
- the 2026-07-28 stateless entry (`server/discover`, no session) next to the 2025-11-25 sessions.

What is yours: keeping each session's data apart, reporting progress, and doing long work in a way
cancellation can reach.
"""

import json
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Annotated

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("hello")


class Greeting(BaseModel):
    greeting: str


class SentGreeting(BaseModel):
    id: str
    to: str
    message: str
    replayed: bool = Field(description="True when this idempotency_key was seen before and nothing new was sent.")


class Outbox(BaseModel):
    greetings: list[SentGreeting]


class CountResult(BaseModel):
    job: str
    counted: int


@dataclass
class SessionState:
    """Everything one client session owns. Never shared between sessions."""

    outbox: list[SentGreeting] = field(default_factory=list)
    # idempotency_key -> (fingerprint of the arguments, the greeting it produced)
    keys: dict[str, tuple[tuple[str, str], SentGreeting]] = field(default_factory=dict)


@dataclass
class Job:
    job: str
    n: int
    ticks: int = 0
    state: str = "running"


# Mcp-Session-Id -> that session's state. Kept until the process ends: mcp 2.3.0 tells tools nothing
# when a session closes, so a long-running server would expire entries (e.g. after the SDK's
# session_idle_timeout) or keep them in a store with a TTL.
sessions: dict[str, SessionState] = {}
# Jobs are addressed by their handle (the `job` argument), not by session: any client holding the
# handle may look at jobs://{job}.
jobs: dict[str, Job] = {}
next_greeting = 1


def session_state(ctx: Context) -> SessionState:
    """The caller's session, found by the Mcp-Session-Id the SDK has already validated."""
    session_id = (ctx.headers or {}).get("mcp-session-id")
    if session_id is None:
        raise ToolError("This tool keeps per-session state: call it in a session (initialize first).")
    return sessions.setdefault(session_id, SessionState())


mcp = MCPServer(
    name="hello-http",
    version="1.0.0",
    instructions="Say hello with greet, send greetings with send_greeting (retry with the same "
    "idempotency_key), list this session's greetings with outbox, and run slow_count for a long, "
    "cancellable job whose progress is at jobs://{job}.",
)


@mcp.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def greet(name: Annotated[str, Field(min_length=1, max_length=100, description="Who to greet.")]) -> Greeting:
    """Say hello to someone. Use this when the user wants a greeting; it stores nothing."""
    return Greeting(greeting=f"Hello, {name}!")


# async def on purpose: it runs on the event loop, so nothing can interleave between looking the key
# up and reserving it. A plain `def` tool runs in a worker thread (anyio.to_thread), where two
# concurrent retries could both miss the key and both send.
@mcp.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False))
async def send_greeting(
    ctx: Context,
    to: Annotated[str, Field(min_length=1, max_length=100, description="Who receives the greeting.")],
    message: Annotated[str, Field(min_length=1, max_length=500, description="The greeting's text.")],
    idempotency_key: Annotated[
        str,
        Field(
            min_length=8,
            max_length=64,
            description="Generate once per intended greeting and reuse it on every retry of that greeting. "
            "A new key sends a new greeting.",
        ),
    ],
) -> SentGreeting:
    """Send a greeting and keep it in this session's outbox. Use this when the user asks to send a greeting.

    Safe to retry: the same idempotency_key returns the first greeting (replayed: true) instead of sending twice.
    """
    global next_greeting
    state = session_state(ctx)
    fingerprint = (to, message)
    seen = state.keys.get(idempotency_key)
    if seen is not None:
        if seen[0] != fingerprint:
            raise ToolError(
                f"idempotency_key {idempotency_key} was already used for a greeting to {seen[1].to}. "
                "Use a new key for a different greeting."
            )
        return seen[1].model_copy(update={"replayed": True})
    sent = SentGreeting(id=f"g-{next_greeting}", to=to, message=message, replayed=False)
    next_greeting += 1
    state.keys[idempotency_key] = (fingerprint, sent)
    state.outbox.append(sent)
    return sent


@mcp.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
async def outbox(ctx: Context) -> Outbox:
    """List the greetings sent in this session, oldest first. Use this to check what was already sent."""
    return Outbox(greetings=session_state(ctx).outbox)


@mcp.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False))
async def slow_count(
    ctx: Context,
    job: Annotated[str, Field(min_length=1, max_length=64, description="A handle for this job; read jobs://{job} to follow it.")],
    n: Annotated[int, Field(ge=1, le=1000, description="How far to count.")],
    delay_ms: Annotated[int, Field(ge=1, le=1000, description="Milliseconds per tick.")] = 100,
) -> CountResult:
    """Count from 1 to n, one tick every delay_ms. Use this to try long-running calls.

    Reports progress after every tick when the request carries a progressToken, and stops when cancelled.
    """
    record = jobs[job] = Job(job=job, n=n)
    try:
        for tick in range(1, n + 1):
            # The await is where notifications/cancelled lands: the SDK cancels this task here.
            await anyio.sleep(delay_ms / 1000)
            record.ticks = tick
            # A no-op unless the client sent a progressToken.
            await ctx.report_progress(tick, n, f"tick {tick}/{n}")
    except anyio.get_cancelled_exc_class():
        record.state = "cancelled"
        log.info("job %s cancelled after %d ticks", job, record.ticks)
        raise
    record.state = "done"
    return CountResult(job=job, counted=n)


@mcp.resource("jobs://{job}", name="job", mime_type="application/json")
def job_status(job: str) -> str:
    """A slow_count job: how far it got (ticks) and whether it is running, done or cancelled."""
    record = jobs.get(job)
    if record is None:
        raise ResourceNotFoundError(f"No job '{job}'. Start one with slow_count(job=...).")
    return json.dumps({"job": record.job, "n": record.n, "ticks": record.ticks, "state": record.state})


if __name__ == "__main__":
    # 127.0.0.1 only: the SDK then turns on DNS-rebinding protection (Host and Origin allow-lists).
    port = int(os.environ.get("PORT", "8000"))
    log.info("hello-http listening on http://127.0.0.1:%d/mcp", port)
    mcp.run(transport="streamable-http", host="127.0.0.1", port=port)

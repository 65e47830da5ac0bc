"""Inventory: the reference solution of the `resilience-observability` lab (Python).

One tool, `get_stock`, over an inventory API that is slow, hangs, answers 503 in bursts or sends
garbage. The official MCP Python SDK (`mcp` 2.3.0; `MCPServer` is the 2.x name of 1.x `FastMCP`)
and `httpx2` (the HTTP client the SDK itself installs).

- every upstream attempt has its own timeout, and the whole call fits a 2.5 s budget;
- transient failures (timeouts, connection errors, 429/502/503/504) are retried, at most 3
  attempts, with exponential backoff and "equal jitter"; client errors (4xx) never are;
- a circuit breaker fails fast after 3 consecutive failed calls and lets a trial call through
  after a 1 s cool-down;
- errors tell the model what happened and what to do, with a reference id, never internals;
- one JSON line per tool call on stderr (correlation id, tool, outcome, duration), and the
  counters as the resource metrics://v1/tools.

stdout carries the JSON-RPC protocol and nothing else: every log line goes to stderr.
"""

import asyncio
import contextvars
import json
import logging
import os
import random
import sys
import time
import uuid
from typing import Annotated, Any

import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field, ValidationError

UPSTREAM_URL = os.environ.get("UPSTREAM_URL", "http://127.0.0.1:9100").rstrip("/")
UPSTREAM_TOKEN = os.environ.get("UPSTREAM_TOKEN", "")

ATTEMPT_TIMEOUT_S = 0.5  # per upstream request: the inventory API answers in well under 0.3 s when healthy
MAX_ATTEMPTS = 3
BACKOFF_BASE_S = 0.1  # waits 50-100 ms, then 100-200 ms
TRANSIENT_STATUS = {429, 502, 503, 504}
BREAKER_THRESHOLD = 3  # consecutive failed calls
BREAKER_COOLDOWN_S = 1.0


# --- logs: one JSON object per line on stderr --------------------------------------------------


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"ts": round(record.created, 3), "level": record.levelname.lower(), "logger": record.name}
        entry["msg"] = record.getMessage()
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)  # stack traces stay in the log
        return json.dumps(entry)


_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(JsonLines())
logging.basicConfig(level=logging.INFO, handlers=[_handler], force=True)
log = logging.getLogger("inventory")
access_log = logging.getLogger("inventory.access")

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")


def log_event(logger: logging.Logger, level: int, msg: str, **fields: Any) -> None:
    logger.log(level, msg, extra={"fields": {"correlation_id": correlation_id.get(), **fields}})


# --- metrics -----------------------------------------------------------------------------------

calls: dict[str, int] = {}
errors: dict[str, int] = {}
upstream_requests = 0


# --- the upstream client: timeout, retries, breaker ---------------------------------------------


class Stock(BaseModel):
    sku: str
    available: int = Field(ge=0, description="Units available to promise.")
    warehouse: str = Field(description="Warehouse holding the stock, e.g. ams-1.")


class UpstreamUnavailable(Exception):
    """The inventory API failed in a way that may pass: worth a retry later."""


class UpstreamRejected(Exception):
    """The inventory API refused the request (4xx): retrying will not help."""

    def __init__(self, status: int) -> None:
        super().__init__(f"upstream answered {status}")
        self.status = status


class CircuitOpen(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__("circuit open")
        self.retry_after = retry_after


class CircuitBreaker:
    """Opens after `threshold` consecutive failed calls; after `cooldown` s lets one trial call through."""

    def __init__(self, threshold: int, cooldown: float) -> None:
        self.threshold, self.cooldown = threshold, cooldown
        self.failures = 0
        self.opened_at: float | None = None
        self.trial_running = False

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if time.monotonic() - self.opened_at >= self.cooldown else "open"

    def before_call(self) -> None:
        state = self.state
        if state == "open" or (state == "half_open" and self.trial_running):
            assert self.opened_at is not None
            raise CircuitOpen(max(self.opened_at + self.cooldown - time.monotonic(), 0.1))
        self.trial_running = state == "half_open"

    def abandon(self) -> None:
        """The call was cancelled by the client: it proves nothing about the upstream."""
        self.trial_running = False

    def record(self, ok: bool) -> None:
        self.trial_running = False
        if ok:
            self.failures, self.opened_at = 0, None
            return
        self.failures += 1
        if self.opened_at is not None or self.failures >= self.threshold:
            self.opened_at = time.monotonic()  # open, or open again after a failed trial
            log_event(log, logging.WARNING, "circuit opened", failures=self.failures)


breaker = CircuitBreaker(BREAKER_THRESHOLD, BREAKER_COOLDOWN_S)
client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {UPSTREAM_TOKEN}"})


async def fetch_once(sku: str) -> Stock:
    global upstream_requests
    upstream_requests += 1
    try:
        # One deadline for the whole exchange (connect, headers, body): httpx2's own timeouts are
        # per read, so a server that trickles bytes would never trip them.
        async with asyncio.timeout(ATTEMPT_TIMEOUT_S):
            response = await client.get(
                f"{UPSTREAM_URL}/v1/stock/{sku}", headers={"X-Correlation-Id": correlation_id.get()}
            )
    except TimeoutError as exc:
        raise UpstreamUnavailable(f"no answer within {ATTEMPT_TIMEOUT_S} s") from exc
    except httpx2.TransportError as exc:
        raise UpstreamUnavailable(f"transport error: {type(exc).__name__}") from exc
    if response.status_code in TRANSIENT_STATUS or response.status_code >= 500:
        raise UpstreamUnavailable(f"upstream answered {response.status_code}")
    if response.status_code >= 400:
        raise UpstreamRejected(response.status_code)
    try:
        return Stock.model_validate_json(response.content)
    except ValidationError as exc:
        # A body we cannot trust is an upstream failure, but not a transient one: no retry.
        raise ValueError("the inventory API sent an answer that is not valid stock JSON") from exc


async def fetch_with_retries(sku: str) -> Stock:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await fetch_once(sku)
        except UpstreamUnavailable as exc:
            if attempt == MAX_ATTEMPTS:
                raise
            delay = BACKOFF_BASE_S * 2 ** (attempt - 1)
            delay = delay / 2 + random.uniform(0, delay / 2)  # equal jitter: never 0, never in lockstep
            log_event(log, logging.WARNING, "upstream attempt failed", attempt=attempt, error=str(exc), retry_in_ms=round(delay * 1000))
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


# --- the MCP layer -------------------------------------------------------------------------------


def _is_error(result: Any) -> bool:
    if isinstance(result, dict):
        return result.get("isError") is True
    return getattr(result, "is_error", False) is True


async def observe_tool_calls(ctx: Any, call_next: Any) -> Any:
    """One access line and the counters for every tools/call, whatever happens inside."""
    if ctx.method != "tools/call":
        return await call_next(ctx)
    tool = str((ctx.params or {}).get("name", "?"))
    token = correlation_id.set(uuid.uuid4().hex)
    started, outcome = time.perf_counter(), "crash"
    try:
        result = await call_next(ctx)
        outcome = "error" if _is_error(result) else "ok"
        return result
    finally:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        calls[tool] = calls.get(tool, 0) + 1
        if outcome != "ok":
            errors[tool] = errors.get(tool, 0) + 1
        log_event(access_log, logging.INFO, "tools/call", tool=tool, outcome=outcome, duration_ms=duration_ms)
        correlation_id.reset(token)


mcp = MCPServer(
    "inventory",
    version="1.0.0",
    instructions="get_stock answers how many units of a SKU are available. Counters are at metrics://v1/tools.",
    middleware=[observe_tool_calls],
)


@mcp.tool()
async def get_stock(
    sku: Annotated[str, Field(pattern=r"^[A-Z]{2}-\d{4}$", description="Stock keeping unit, e.g. KT-0042.")],
) -> Stock:
    """How many units of a product are available, and in which warehouse.

    Use this when the user asks whether an item is in stock or how many can be promised.
    """
    ref = correlation_id.get()
    try:
        breaker.before_call()
    except CircuitOpen as exc:
        raise ToolError(
            f"The inventory service is unavailable (it failed repeatedly); not trying it for now. "
            f"Retry in {exc.retry_after:.1f} s. (ref {ref})"
        ) from None
    try:
        stock = await fetch_with_retries(sku)
    except asyncio.CancelledError:
        breaker.abandon()
        raise
    except UpstreamRejected as exc:
        breaker.record(ok=True)  # the API is up; it refused this request
        if exc.status == 404:
            raise ToolError(f"No product with SKU {sku}. Check the SKU (format AB-1234). (ref {ref})") from None
        log_event(log, logging.ERROR, "upstream refused the request", status=exc.status)
        raise ToolError(
            f"The inventory service refused the request (status {exc.status}); retrying will not help. "
            f"Report ref {ref} to the operators."
        ) from None
    except UpstreamUnavailable as exc:
        breaker.record(ok=False)
        log_event(log, logging.ERROR, "upstream unavailable after retries", attempts=MAX_ATTEMPTS, error=str(exc))
        raise ToolError(
            f"The inventory service did not answer in time or is unavailable (tried {MAX_ATTEMPTS} times). "
            f"Retry in a few seconds. (ref {ref})"
        ) from None
    except ValueError:
        breaker.record(ok=False)
        log.error("invalid upstream answer", exc_info=True, extra={"fields": {"correlation_id": ref}})
        raise ToolError(
            f"The inventory service sent an invalid answer. Retry in a few seconds. (ref {ref})"
        ) from None
    except Exception:
        breaker.record(ok=False)
        log.error("get_stock crashed", exc_info=True, extra={"fields": {"correlation_id": ref}})
        raise ToolError(f"get_stock failed unexpectedly. Retry later; report ref {ref} if it persists.") from None
    breaker.record(ok=True)
    return stock


@mcp.resource("metrics://v1/tools", name="tool-metrics", mime_type="application/json")
def tool_metrics() -> str:
    """Per-tool call and error counters, upstream requests and the circuit breaker's state."""
    tools = {name: {"calls": n, "errors": errors.get(name, 0)} for name, n in calls.items()}
    tools.setdefault("get_stock", {"calls": 0, "errors": 0})
    return json.dumps({"tools": tools, "upstream": {"requests": upstream_requests, "breaker_state": breaker.state}})


if __name__ == "__main__":
    log.info("inventory server starting on stdio", extra={"fields": {"upstream": UPSTREAM_URL}})
    mcp.run()

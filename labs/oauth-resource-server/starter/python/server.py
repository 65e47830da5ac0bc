"""Team notes and billing: your starting point for the `oauth-resource-server` lab (Python).

Uses the official MCP Python SDK (`mcp` 2.3.0; `MCPServer` is the 2.x name of 1.x's `FastMCP`).

This server works, and it is wide open. It reads the caller's identity from the JWT without checking
the signature, trusts whatever the token says, never refuses a request, and forwards the caller's
token to the billing API. Read README.md for the task and the checks that grade it, and run the
grader locally with:

    npm run grade -- --lab oauth-resource-server --dir labs/oauth-resource-server/starter/python --lang python

The grader runs the authorization server and the billing API and passes their addresses in the
environment: MCP_RESOURCE, OAUTH_ISSUER, OAUTH_JWKS_URL, OAUTH_TOKEN_URL, BILLING_API_URL,
BILLING_CLIENT_ID, BILLING_CLIENT_SECRET (and PORT). PyJWT (`import jwt`) is installed with `mcp`.
"""

import base64
import contextvars
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import anyio.to_thread
import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

PORT = int(os.environ["PORT"])
RESOURCE = os.environ["MCP_RESOURCE"]
ISSUER = os.environ["OAUTH_ISSUER"]
JWKS_URL = os.environ["OAUTH_JWKS_URL"]
TOKEN_URL = os.environ["OAUTH_TOKEN_URL"]
BILLING_URL = os.environ["BILLING_API_URL"]
BILLING_CLIENT_ID = os.environ["BILLING_CLIENT_ID"]
BILLING_CLIENT_SECRET = os.environ["BILLING_CLIENT_SECRET"]

# The Authorization header of the current request (set below, read by the tools).
AUTHORIZATION: contextvars.ContextVar[str | None] = contextvars.ContextVar("authorization", default=None)


def claims() -> dict:
    """The token's claims. DANGER: decoded, not verified; anyone can write any claim."""
    header = AUTHORIZATION.get() or ""
    try:
        payload = header.split(" ", 1)[1].split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {"sub": "anonymous", "tenant": "public", "scope": ""}


class PassAuthorization:
    """ASGI layer that remembers the Authorization header for the tools. It checks nothing."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        header = None
        if scope["type"] == "http":
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1") or None
        reset = AUTHORIZATION.set(header)
        try:
            await self.app(scope, receive, send)
        finally:
            AUTHORIZATION.reset(reset)


class Note(BaseModel):
    id: str
    title: str
    body: str
    author: str


class NoteList(BaseModel):
    notes: list[Note]


class Identity(BaseModel):
    sub: str
    tenant: str
    scopes: list[str]


class Invoice(BaseModel):
    id: str
    amount_cents: int
    status: str


class BillingSummary(BaseModel):
    tenant: str
    currency: str
    invoices: list[Invoice]
    open_balance_cents: int


NOTES: dict[tuple[str, str], Note] = {}

mcp = MCPServer(
    "team-notes",
    version="1.0.0",
    instructions="Notes and billing for the signed-in user's organisation.",
)


@mcp.tool()
def whoami() -> Identity:
    """Show who the access token belongs to. Use when the user asks which account or organisation they are in."""
    c = claims()
    return Identity(sub=str(c.get("sub")), tenant=str(c.get("tenant")), scopes=sorted(str(c.get("scope", "")).split()))


@mcp.tool()
def add_note(title: str, body: str) -> Note:
    """Save a note for the user's organisation. Use when the user asks to write something down. Needs notes:write."""
    c = claims()
    note = Note(id=f"note-{uuid.uuid4().hex[:12]}", title=title, body=body, author=str(c.get("sub")))
    NOTES[(str(c.get("tenant")), note.id)] = note
    return note


@mcp.tool()
def list_notes() -> NoteList:
    """List the notes of the user's organisation. Use when the user asks what notes exist. Needs notes:read."""
    tenant = str(claims().get("tenant"))
    return NoteList(notes=[n for (t, _), n in NOTES.items() if t == tenant])


@mcp.tool()
def read_note(id: str) -> Note:
    """Read one note by id. Use when the user names a note from list_notes. Needs notes:read."""
    note = NOTES.get((str(claims().get("tenant")), id))
    if note is None:
        raise ToolError(f"No note {id} in your organisation. Call list_notes for the ids.")
    return note


def fetch_billing(tenant: str, authorization: str) -> dict:
    url = f"{BILLING_URL}/tenants/{urllib.parse.quote(tenant, safe='')}/invoices"
    # Token passthrough: the caller's token goes to the billing API as is.
    request = urllib.request.Request(url, headers={"Authorization": authorization})
    with urllib.request.urlopen(request, timeout=5) as res:
        return json.load(res)


@mcp.tool()
async def billing_summary() -> BillingSummary:
    """Show the organisation's invoices and open balance. Use when the user asks what they owe. Needs billing:read."""
    tenant = str(claims().get("tenant"))
    authorization = AUTHORIZATION.get() or ""
    try:
        data = await anyio.to_thread.run_sync(fetch_billing, tenant, authorization)
    except (urllib.error.URLError, ValueError) as exc:
        print(f"billing API call failed: {exc}", file=sys.stderr, flush=True)
        raise ToolError("The billing service is unavailable right now; try again later.") from exc
    return BillingSummary.model_validate(data)


if __name__ == "__main__":
    app = PassAuthorization(mcp.streamable_http_app())  # bound to 127.0.0.1: DNS-rebinding protection on
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)

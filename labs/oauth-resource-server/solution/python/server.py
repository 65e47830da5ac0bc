"""Team notes and billing: a multi-tenant MCP server protected as an OAuth 2.1 resource server.

Every HTTP request to /mcp carries `Authorization: Bearer <JWT>` issued by OAUTH_ISSUER for
MCP_RESOURCE (this server). The token's `sub` is the user, `tenant` their organisation and `scope`
what they may do; each tool needs one scope. Notes are stored per tenant. Billing comes from the
billing API, called with this server's own client-credentials token, never the user's.

The layer in front of the MCP app (ResourceServer) is the whole security boundary: it serves the
protected resource metadata (RFC 9728), validates the token on every request, checks the tool's
scope, writes one audit line per decision, and hands the verified caller to the tools.
"""

import base64
import contextvars
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

import anyio.to_thread
import jwt
import uvicorn
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

PORT = int(os.environ["PORT"])
RESOURCE = os.environ["MCP_RESOURCE"]  # canonical URI: the audience every token must name
ISSUER = os.environ["OAUTH_ISSUER"]
JWKS_URL = os.environ["OAUTH_JWKS_URL"]
TOKEN_URL = os.environ["OAUTH_TOKEN_URL"]
BILLING_URL = os.environ["BILLING_API_URL"]
BILLING_CLIENT_ID = os.environ["BILLING_CLIENT_ID"]
BILLING_CLIENT_SECRET = os.environ["BILLING_CLIENT_SECRET"]

_resource = urllib.parse.urlsplit(RESOURCE)
MCP_PATH = _resource.path
# RFC 9728 §3.1: the well-known suffix goes between the host and the resource's path.
METADATA_PATH = "/.well-known/oauth-protected-resource" + MCP_PATH
METADATA_URL = f"{_resource.scheme}://{_resource.netloc}{METADATA_PATH}"

# Each tool and the one scope it needs (None: any valid token).
TOOL_SCOPES: dict[str, str | None] = {
    "whoami": None,
    "add_note": "notes:write",
    "list_notes": "notes:read",
    "read_note": "notes:read",
    "billing_summary": "billing:read",
}
METADATA = {
    "resource": RESOURCE,
    "authorization_servers": [ISSUER],
    "scopes_supported": ["notes:read", "notes:write", "billing:read"],
    "bearer_methods_supported": ["header"],
}
MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class Caller:
    """The verified principal of the current request."""

    sub: str
    tenant: str
    client_id: str
    scopes: frozenset[str]


# Set by ResourceServer for the request; mcp 2.x carries it to the tool that handles the message.
CALLER: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("caller", default=None)


def audit(decision: str, reason: str, tool: str | None, caller: Caller | None = None) -> None:
    """One JSON line per authorization decision, on stderr. Never the token itself."""
    record = {
        "ts": round(time.time(), 3),
        "event": "authz",
        "sub": caller.sub if caller else None,
        "tenant": caller.tenant if caller else None,
        "client_id": caller.client_id if caller else None,
        "tool": tool,
        "decision": decision,
        "reason": reason,
    }
    print(json.dumps(record), file=sys.stderr, flush=True)


# Keys come from the JWKS and are cached; a token naming an unknown kid triggers a refetch (key
# rotation), at most once a second so random kids cannot flood the authorization server.
_jwks = jwt.PyJWKClient(JWKS_URL, cache_keys=False, lifespan=300, timeout=5, cooldown_duration=1)


def verify(token: str) -> dict:
    """Signature (pinned algorithm, key from the JWKS), then iss, aud, exp and nbf. Raises PyJWTError."""
    key = _jwks.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],  # never the token's own "alg": no "none", no HS256 keyed with a public key
        issuer=ISSUER,
        audience=RESOURCE,  # a token issued for another resource is refused
        options={"require": ["exp", "iss", "aud", "sub", "tenant"]},
        leeway=30,
    )


async def respond(send, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
    data = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": data})


async def challenge(send, status: int, error: str | None, description: str, scope: str | None = None) -> None:
    """401/403 with the RFC 6750 challenge and the metadata URL (RFC 9728 §5.1)."""
    params = [f'error="{error}"'] if error else []
    params.append(f'error_description="{description}"')
    if scope:
        params.append(f'scope="{scope}"')
    params.append(f'resource_metadata="{METADATA_URL}"')
    body = {"error": error or "unauthorized", "error_description": description}
    await respond(send, status, body, {"www-authenticate": "Bearer " + ", ".join(params)})


async def read_body(receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def replay(body: bytes, receive):
    """A receive() that yields the body already read, then the client's own messages."""
    sent = False

    async def again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


def called_tool(body: bytes) -> str | None:
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if isinstance(message, dict) and message.get("method") == "tools/call":
        name = (message.get("params") or {}).get("name")
        return name if isinstance(name, str) else None
    return None


def bearer_token(scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            if kind.lower() != "bearer" or not token.strip():
                return None
            return token.strip()
    return None  # a token in the query string is never looked at


class ResourceServer:
    """ASGI layer in front of the MCP app: metadata, token validation, per-tool scopes, audit."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"] in (METADATA_PATH, "/.well-known/oauth-protected-resource"):
            return await respond(send, 200, METADATA)
        if scope["path"] != MCP_PATH:
            return await self.app(scope, receive, send)

        body = await read_body(receive)
        if body is None:
            return await respond(send, 413, {"error": "request body too large or incomplete"})
        tool = called_tool(body)
        token = bearer_token(scope)
        if token is None:
            audit("deny", "no bearer token", tool)
            return await challenge(send, 401, None, "Bearer token required", "notes:read")
        try:
            claims = await anyio.to_thread.run_sync(verify, token)
        except jwt.PyJWTError as exc:
            audit("deny", f"invalid_token: {exc}", tool)
            return await challenge(send, 401, "invalid_token", "The access token is invalid or expired")

        caller = Caller(
            sub=str(claims["sub"]),
            tenant=str(claims["tenant"]),
            client_id=str(claims.get("client_id", "")),
            scopes=frozenset(str(claims.get("scope", "")).split()),
        )
        needed = TOOL_SCOPES.get(tool) if tool else None
        if needed and needed not in caller.scopes:
            audit("deny", f"insufficient_scope: {tool} needs {needed}", tool, caller)
            return await challenge(send, 403, "insufficient_scope", f"{tool} needs {needed}", needed)
        if tool:
            audit("allow", f"scope {needed}" if needed else "any valid token", tool, caller)

        # The SDK binds each MCP session to this principal: another user's token cannot use it.
        scope["user"] = AuthenticatedUser(
            AccessToken(
                token=token,
                client_id=caller.client_id,
                scopes=sorted(caller.scopes),
                expires_at=int(claims["exp"]),
                resource=RESOURCE,
                subject=caller.sub,
                claims={"iss": claims["iss"]},
            )
        )
        reset = CALLER.set(caller)
        try:
            await self.app(scope, replay(body, receive), send)
        finally:
            CALLER.reset(reset)


def current_caller() -> Caller:
    caller = CALLER.get()
    if caller is None:
        raise ToolError("This tool needs an authenticated HTTP request.")
    return caller


class ServiceToken:
    """This server's own token for the billing API (client credentials), reused until near expiry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def get(self) -> str:
        with self._lock:
            if self._token and time.time() < self._expires_at - 30:
                return self._token
            form = {"grant_type": "client_credentials", "resource": BILLING_URL, "scope": "invoices:read"}
            pair = f"{urllib.parse.quote(BILLING_CLIENT_ID)}:{urllib.parse.quote(BILLING_CLIENT_SECRET)}"
            request = urllib.request.Request(
                TOKEN_URL,
                data=urllib.parse.urlencode(form).encode(),
                headers={
                    "Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=5) as res:
                answer = json.load(res)
            self._token = str(answer["access_token"])
            self._expires_at = time.time() + int(answer.get("expires_in", 60))
            return self._token


SERVICE_TOKEN = ServiceToken()


def fetch_billing(tenant: str) -> dict:
    url = f"{BILLING_URL}/tenants/{urllib.parse.quote(tenant, safe='')}/invoices"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {SERVICE_TOKEN.get()}"})
    with urllib.request.urlopen(request, timeout=5) as res:
        return json.load(res)


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


# The tenant is part of every key: a lookup cannot reach another tenant's note.
NOTES: dict[tuple[str, str], Note] = {}

mcp = MCPServer(
    "team-notes",
    version="1.0.0",
    instructions="Notes and billing for the signed-in user's organisation.",
)


@mcp.tool()
def whoami() -> Identity:
    """Show who the access token belongs to. Use when the user asks which account or organisation they are in."""
    caller = current_caller()
    return Identity(sub=caller.sub, tenant=caller.tenant, scopes=sorted(caller.scopes))


@mcp.tool()
def add_note(title: str, body: str) -> Note:
    """Save a note for the user's organisation. Use when the user asks to write something down. Needs notes:write."""
    caller = current_caller()
    note = Note(id=f"note-{uuid.uuid4().hex[:12]}", title=title, body=body, author=caller.sub)
    NOTES[(caller.tenant, note.id)] = note
    return note


@mcp.tool()
def list_notes() -> NoteList:
    """List the notes of the user's organisation. Use when the user asks what notes exist. Needs notes:read."""
    caller = current_caller()
    return NoteList(notes=[n for (tenant, _), n in NOTES.items() if tenant == caller.tenant])


@mcp.tool()
def read_note(id: str) -> Note:
    """Read one note by id. Use when the user names a note from list_notes. Needs notes:read."""
    note = NOTES.get((current_caller().tenant, id))
    if note is None:
        # The same answer for "no such note" and "another organisation's note": no existence oracle.
        raise ToolError(f"No note {id} in your organisation. Call list_notes for the ids.")
    return note


@mcp.tool()
async def billing_summary() -> BillingSummary:
    """Show the organisation's invoices and open balance. Use when the user asks what they owe. Needs billing:read."""
    caller = current_caller()
    try:
        data = await anyio.to_thread.run_sync(fetch_billing, caller.tenant)
    except (urllib.error.URLError, ValueError, KeyError) as exc:
        print(f"billing API call failed: {exc}", file=sys.stderr, flush=True)
        raise ToolError("The billing service is unavailable right now; try again later.") from exc
    return BillingSummary.model_validate(data)


if __name__ == "__main__":
    app = ResourceServer(mcp.streamable_http_app())  # bound to 127.0.0.1: DNS-rebinding protection on
    # No access log: request lines would print any token a client put in a query string.
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)

"""Documents server: your starting point for the `injection-defense` lab (Python).

Uses the official MCP Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level
server that mcp 1.x and most tutorials call `FastMCP` (`from mcp.server.fastmcp import FastMCP`).

It works, for a caller who means well: it reads documents, fetches pages and deletes documents.
The grader does not mean well. It plants secrets next to the document folder and symlinks that
point at them, writes documents full of instructions for your model, controls what host names
resolve to and runs a web server that redirects wherever it likes. Every tool below trusts its
input and hands back what it found as if you had written it. Read README.md for the contract and
the checks, then run the grader locally:

    npm run grade -- --lab injection-defense --dir labs/injection-defense/starter/python --lang python
"""

import logging
import os
import sys
import urllib.request
from pathlib import Path
from urllib.parse import unquote

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

# stderr only: on stdio transport, stdout is the protocol channel.
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("documents")

ROOT = Path(os.environ.get("DOCS_ROOT") or Path(__file__).resolve().parent / "docs")

mcp = MCPServer(
    name="documents",
    instructions="A team's document folder. Read documents with read_document, fetch web pages with fetch_url, "
    "and remove a document with delete_document.",
)


@mcp.tool()
def read_document(path: str) -> str:
    """Read one document from the team's document folder, e.g. guides/release%20notes.md.

    Use this when the user asks what a document says.
    """
    file = os.path.join(ROOT, unquote(path))
    try:
        with open(file, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise ToolError(f"No document at {path!r}.") from None


@mcp.tool()
def fetch_url(url: str) -> str:
    """Fetch a web page and return its text. Use this when the user gives you a link."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8", errors="replace")


@mcp.tool()
def delete_document(path: str, dry_run: bool = False) -> str:
    """Delete one document. Pass dry_run=true to see what would be deleted."""
    file = os.path.join(ROOT, unquote(path))
    if dry_run:
        return f"Would delete {path}."
    os.remove(file)
    log.info("deleted %s", file)
    return f"Deleted {path}."


if __name__ == "__main__":
    log.info("documents server on stdio, root %s", ROOT)
    mcp.run()

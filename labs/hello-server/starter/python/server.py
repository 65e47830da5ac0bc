"""Notes service: your starting point for the `hello-server` lab (Python).

Uses the official MCP Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level
server that mcp 1.x, most tutorials and this course's text call `FastMCP`
(`from mcp.server.fastmcp import FastMCP`); the decorators work the same way.

This file runs and answers `initialize`, but it is far from done. Read README.md for the task
and the checks that grade it. Run the grader locally with:

    npm run grade -- --lab hello-server --dir labs/hello-server/starter/python --lang python
"""

from mcp.server.mcpserver import MCPServer

mcp = MCPServer(name="notes")

# The whole "database": note id -> note. It lives as long as the process.
notes: dict[str, dict] = {}


@mcp.tool()
def add_note(title: str, body: str) -> str:
    note_id = f"note-{len(notes) + 1}"
    notes[note_id] = {"id": note_id, "title": title, "body": body}
    return f"Saved note {note_id}"


# TODO: search_notes(query, limit=10): find notes whose title, body or tags contain the query.
# TODO: delete_note(id): remove a note; it is destructive, so say so in its annotations.
# TODO: a resource template notes://{id} returning one note as JSON (mimeType application/json),
#       and a resource notes://index listing every note's id and title.
# TODO: a prompt summarize_notes(topic).


if __name__ == "__main__":
    print("Notes server starting...", flush=True)
    mcp.run()

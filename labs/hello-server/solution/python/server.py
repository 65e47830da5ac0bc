"""Notes service: the reference solution of the `hello-server` lab (Python).

An in-memory notes store exposed over stdio with the official MCP Python SDK (`mcp` 2.3.0).
`MCPServer` is the 2.x name of the high-level server that mcp 1.x (and most tutorials,
including this course's text) call `FastMCP` (`from mcp.server.fastmcp import FastMCP`).

stdout carries the JSON-RPC protocol and nothing else: every log line goes to stderr.
"""

import json
import logging
import sys
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, GetPromptResult, InputRequiredResult, ToolAnnotations
from pydantic import BaseModel, Field

# stderr only: on stdio transport, stdout is the protocol channel.
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("notes")


class Note(BaseModel):
    id: str
    title: str
    body: str
    tags: list[str]


class NoteMatch(BaseModel):
    id: str
    title: str
    snippet: str


class SearchResult(BaseModel):
    query: str
    total: int
    matches: list[NoteMatch]


class Deleted(BaseModel):
    id: str
    deleted: bool


class NoteStore:
    """The domain: knows nothing about MCP, so it can be unit-tested on its own."""

    def __init__(self) -> None:
        self._notes: dict[str, Note] = {}
        self._next = 1

    def add(self, title: str, body: str, tags: list[str]) -> Note:
        note = Note(id=f"note-{self._next}", title=title, body=body, tags=tags)
        self._next += 1
        self._notes[note.id] = note
        return note

    def get(self, note_id: str) -> Note | None:
        return self._notes.get(note_id)

    def search(self, query: str, limit: int) -> list[Note]:
        needle = query.casefold()
        hits = [
            n
            for n in self._notes.values()
            if needle in n.title.casefold() or needle in n.body.casefold() or any(needle in t.casefold() for t in n.tags)
        ]
        return hits[:limit]

    def delete(self, note_id: str) -> bool:
        return self._notes.pop(note_id, None) is not None

    def all(self) -> list[Note]:
        return list(self._notes.values())



class NotesServer(MCPServer):
    """MCPServer with one protocol fix: in mcp 2.3.0 an unknown prompt name comes back as JSON-RPC
    error code 0; the spec's answer for a bad name is -32602 (invalid params)."""

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Context | None = None
    ) -> GetPromptResult | InputRequiredResult:
        if name not in {p.name for p in await self.list_prompts()}:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown prompt: {name}. Call prompts/list for the names.")
        return await super().get_prompt(name, arguments, context)

store = NoteStore()
mcp = NotesServer(
    name="notes",
    instructions="A small notes service. Add notes with add_note, find them with search_notes, "
    "read one as JSON at notes://{id}, and remove one with delete_note.",
)


@mcp.tool()
def add_note(
    title: Annotated[str, Field(min_length=1, max_length=200, description="Short title of the note.")],
    body: Annotated[str, Field(description="The note's text.")],
    tags: Annotated[list[str] | None, Field(description="Optional labels for filtering, e.g. ['work'].")] = None,
) -> Note:
    """Save a new note. Use this when the user asks to remember, write down or save something.

    Returns the created note, including the `id` to use with delete_note and notes://{id}.
    """
    note = store.add(title, body, tags or [])
    log.info("added %s", note.id)
    return note


@mcp.tool()
def search_notes(
    query: Annotated[str, Field(min_length=1, description="Text to look for in titles, bodies and tags.")],
    limit: Annotated[int, Field(ge=1, le=50, description="Maximum number of matches to return.")] = 10,
) -> SearchResult:
    """Find notes whose title, body or tags contain the query (case-insensitive).

    Use this when the user asks what they wrote about something, or to find a note's id.
    """
    hits = store.search(query, limit)
    matches = [NoteMatch(id=n.id, title=n.title, snippet=n.body[:120]) for n in hits]
    return SearchResult(query=query, total=len(matches), matches=matches)


@mcp.tool(annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=True, read_only_hint=False))
def delete_note(id: Annotated[str, Field(description="The note id returned by add_note or search_notes.")]) -> Deleted:
    """Permanently delete one note by id. Use this only when the user explicitly asks to remove a note.

    Deleting cannot be undone. Call search_notes first if you do not know the id.
    """
    if not store.delete(id):
        raise ToolError(f"No note with id '{id}'. Call search_notes to find the id of the note you want to delete.")
    log.info("deleted %s", id)
    return Deleted(id=id, deleted=True)


@mcp.resource("notes://index", name="notes-index", mime_type="application/json")
def notes_index() -> str:
    """Every note's id and title, as a JSON array."""
    return json.dumps([{"id": n.id, "title": n.title} for n in store.all()])


@mcp.resource("notes://{id}", name="note", mime_type="application/json")
def read_note(id: str) -> str:
    """One note (id, title, body, tags) as a JSON object."""
    note = store.get(id)
    if note is None:
        # -32602 on the wire: the client asked for something that does not exist.
        raise ResourceNotFoundError(f"No note with id '{id}'. Read notes://index for the ids that exist.")
    return note.model_dump_json()


@mcp.prompt()
def summarize_notes(topic: Annotated[str, Field(description="What the summary should focus on.")]) -> str:
    """Ask the model to summarize the notes about a topic."""
    related = store.search(topic, 50)
    listing = "\n".join(f"- {n.title} ({n.id}): {n.body}" for n in related) or "(no matching notes yet)"
    return (
        f"Summarize my notes about {topic}. Group related points, keep it under 200 words, "
        f"and cite note ids in brackets.\n\nNotes:\n{listing}"
    )


if __name__ == "__main__":
    log.info("notes server starting on stdio")
    mcp.run()

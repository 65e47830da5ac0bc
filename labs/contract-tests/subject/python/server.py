"""Library desk: the server under test in the `contract-tests` lab (Python).

You do not change this file: you write contract tests for it. The grader runs your tests against
this server as shipped, against breaking variants of it, and against compatible ones.

The official MCP Python SDK (`mcp` 2.3.0). `MCPServer` is the 2.x name of the high-level server
that mcp 1.x and the course text call `FastMCP`. stdout carries JSON-RPC only; logs go to stderr.
The `# --- tool: ... ---` lines mark where each tool starts.
"""

import logging
import sys
from datetime import date, timedelta
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
log = logging.getLogger("library")

CATALOGUE = [
    {"isbn": "978-0-13-595705-9", "title": "The Pragmatic Programmer", "author": "David Thomas", "year": 2019},
    {"isbn": "978-1-4493-7332-0", "title": "Designing Data-Intensive Applications", "author": "Martin Kleppmann", "year": 2017},
    {"isbn": "978-0-262-51087-5", "title": "Structure and Interpretation of Computer Programs", "author": "Harold Abelson", "year": 1996},
    {"isbn": "978-0-201-63361-0", "title": "Design Patterns", "author": "Erich Gamma", "year": 1994},
    {"isbn": "978-1-59327-952-3", "title": "The Linux Command Line", "author": "William Shotts", "year": 2019},
    {"isbn": "978-0-596-51774-8", "title": "JavaScript: The Good Parts", "author": "Douglas Crockford", "year": 2008},
]
# Copies on the shelf per ISBN: Design Patterns has none left.
shelf = {
    "978-0-13-595705-9": 2,
    "978-1-4493-7332-0": 1,
    "978-0-262-51087-5": 1,
    "978-0-201-63361-0": 0,
    "978-1-59327-952-3": 3,
    "978-0-596-51774-8": 1,
}
loans: dict[str, dict[str, str]] = {}


class Book(BaseModel):
    isbn: str
    title: str
    author: str
    year: int
    available_copies: int


class SearchResult(BaseModel):
    books: list[Book]
    total: int


class Loan(BaseModel):
    loan_id: str
    isbn: str
    member_id: str
    due_date: str = Field(description="Last day of the loan, YYYY-MM-DD.")


class Returned(BaseModel):
    loan_id: str
    isbn: str
    late: bool


def to_book(entry: dict) -> Book:
    return Book(
        isbn=entry["isbn"],
        title=entry["title"],
        author=entry["author"],
        year=entry["year"],
        available_copies=shelf[entry["isbn"]],
    )


def find(isbn: str) -> dict | None:
    return next((entry for entry in CATALOGUE if entry["isbn"] == isbn), None)


def search(query: str, limit: int, available_only: bool) -> SearchResult:
    words = query.lower().split()
    found = [e for e in CATALOGUE if all(w in f"{e['title']} {e['author']}".lower() for w in words)]
    if available_only:
        found = [e for e in found if shelf[e["isbn"]] > 0]
    return SearchResult(books=[to_book(e) for e in found[:limit]], total=len(found))


def lookup(isbn: str) -> Book:
    entry = find(isbn)
    if entry is None:
        raise ToolError(f"No book with ISBN '{isbn}'. Use search_books to find the ISBN first.")
    return to_book(entry)


def lend(isbn: str, member_id: str, days: int) -> Loan:
    entry = find(isbn)
    if entry is None:
        raise ToolError(f"Cannot lend '{isbn}': no book has this ISBN. Use search_books to find it.")
    if shelf[isbn] == 0:
        raise ToolError(f"No copy of '{entry['title']}' is on the shelf. Try again after a return.")
    shelf[isbn] -= 1
    loan_id = f"L-{len(loans) + 1:04d}"
    due = date.today() + timedelta(days=days)
    loans[loan_id] = {"isbn": isbn, "due": due.isoformat()}
    log.info("loan %s: %s to %s", loan_id, isbn, member_id)
    return Loan(loan_id=loan_id, isbn=isbn, member_id=member_id, due_date=due.isoformat())


def give_back(loan_id: str) -> Returned:
    loan = loans.pop(loan_id, None)
    if loan is None:
        raise ToolError(f"No open loan '{loan_id}'. It was never made or is already returned.")
    shelf[loan["isbn"]] += 1
    return Returned(loan_id=loan_id, isbn=loan["isbn"], late=date.today().isoformat() > loan["due"])


mcp = MCPServer("library-desk", version="2.1.0")


# --- tool: search_books ---
@mcp.tool(name="search_books", annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def search_books(
    *,
    query: Annotated[str, Field(min_length=1, description="Words to look for in titles and author names.")],
    limit: Annotated[int, Field(ge=1, le=20, description="Most books to return.")] = 5,
    available_only: Annotated[bool, Field(description="Only books with a copy on the shelf.")] = False,
) -> SearchResult:
    """Search the catalogue by title or author. Use this to find a book's ISBN."""
    return search(query, limit, available_only)


# --- tool: get_book ---
@mcp.tool(name="get_book", annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def get_book(
    *,
    isbn: Annotated[str, Field(description="The ISBN-13 that search_books returned.")],
) -> Book:
    """Fetch one book by ISBN, with the number of copies on the shelf."""
    return lookup(isbn)


# --- tool: borrow_book ---
@mcp.tool(name="borrow_book", annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False))
def borrow_book(
    *,
    isbn: Annotated[str, Field(description="ISBN-13 of the book to lend.")],
    member_id: Annotated[str, Field(pattern=r"^M-\d{4}$", description="Library card number, e.g. M-0042.")],
    days: Annotated[int, Field(ge=1, le=28, description="Length of the loan in days.")] = 14,
) -> Loan:
    """Lend a copy of a book to a member. Fails when no copy is on the shelf."""
    return lend(isbn, member_id, days)


# --- tool: return_book ---
@mcp.tool(name="return_book", annotations=ToolAnnotations(read_only_hint=False, idempotent_hint=False))
def return_book(
    *,
    loan_id: Annotated[str, Field(description="The loan_id that borrow_book returned.")],
) -> Returned:
    """Return a borrowed copy to the shelf. Tells whether the loan was late."""
    return give_back(loan_id)


# --- end of tools ---

if __name__ == "__main__":
    mcp.run()

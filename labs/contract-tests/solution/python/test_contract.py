"""Contract tests for the library-desk server: the reference solution of the `contract-tests` lab.

Two layers, as in the lesson:
1. Compatibility with the released contract (golden/contract.json, recorded from the server as
   shipped): every tool, argument and output field a client relies on is still there with its type,
   no argument became required. New tools, new optional arguments, new output fields, reworded
   descriptions and another order are allowed: they break no client.
2. Behaviour over the real protocol: results have the documented types, and every documented error
   case is still an error (tools/list cannot show that).

One client session per module, on the server object of server.py (in memory, no subprocess).
Record the golden file again after an intended release with `UPDATE_GOLDEN=1 python -m pytest`.
"""

import json
import os
import re
from pathlib import Path

import pytest
from mcp import Client

import server

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "contract.json"
UNKNOWN_ISBN = "978-0-00-000000-0"


@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module")
async def client():
    # In memory: the SDK's Client drives the server object of server.py without a subprocess (fast).
    # To test the stdio entry point instead, use stdio_client(StdioServerParameters(command=sys.executable,
    # args=["server.py"])) with a ClientSession: both work in the grader's sandbox.
    async with Client(server.mcp) as session:
        yield session


def dump(item) -> dict:
    return item.model_dump(mode="json", by_alias=True, exclude_none=True)


async def published_contract(client: Client) -> dict:
    """tools/list reduced to what clients depend on, sorted by name (no order is promised)."""
    tools = (await client.list_tools()).tools
    keep = ("name", "inputSchema", "outputSchema", "annotations")
    return {"tools": sorted(({k: v for k, v in dump(t).items() if k in keep} for t in tools), key=lambda t: t["name"])}


# --- the compatibility check ----------------------------------------------------------------


def resolve(schema: dict, root: dict) -> dict:
    """Follows a local $ref (pydantic puts nested models under $defs)."""
    while "$ref" in schema:
        *_, name = schema["$ref"].split("/")
        schema = root.get("$defs", {}).get(name, {})
    return schema


def output_breaks(path: str, old: dict, new: dict, old_root: dict, new_root: dict) -> list[str]:
    """What an existing parser of `old` would trip over in `new` (new fields are fine)."""
    old, new = resolve(old, old_root), resolve(new, new_root)
    if old.get("type") != new.get("type"):
        return [f"{path}: type {old.get('type')} -> {new.get('type')}"]
    problems = []
    if old.get("type") == "object":
        problems += [f"{path}.{f}: no longer guaranteed" for f in old.get("required", []) if f not in new.get("required", [])]
        for field, before in old.get("properties", {}).items():
            after = new.get("properties", {}).get(field)
            if after is None:
                problems.append(f"{path}.{field}: removed")
            else:
                problems += output_breaks(f"{path}.{field}", before, after, old_root, new_root)
    if old.get("type") == "array":
        problems += output_breaks(f"{path}[]", old.get("items", {}), new.get("items", {}), old_root, new_root)
    return problems


def input_breaks(tool: str, old: dict, new: dict) -> list[str]:
    """What an existing call that was valid against `old` would fail on in `new`."""
    problems = [f"{tool}: argument '{a}' is now required" for a in new.get("required", []) if a not in old.get("required", [])]
    for arg, before in old.get("properties", {}).items():
        after = new.get("properties", {}).get(arg)
        if after is None:
            problems.append(f"{tool}: argument '{arg}' removed or renamed")
        elif after.get("type") != before.get("type"):
            problems.append(f"{tool}.{arg}: type {before.get('type')} -> {after.get('type')}")
    return problems


def breaking_changes(old: dict, new: dict) -> list[str]:
    problems = []
    current = {t["name"]: t for t in new["tools"]}
    for tool in old["tools"]:
        name = tool["name"]
        now = current.get(name)
        if now is None:
            problems.append(f"{name}: tool removed or renamed")
            continue
        problems += input_breaks(name, tool["inputSchema"], now["inputSchema"])
        if "outputSchema" in tool:
            if "outputSchema" not in now:
                problems.append(f"{name}: outputSchema removed")
            else:
                problems += output_breaks(name, tool["outputSchema"], now["outputSchema"], tool["outputSchema"], now["outputSchema"])
        if tool.get("annotations", {}).get("readOnlyHint") and not now.get("annotations", {}).get("readOnlyHint"):
            problems.append(f"{name}: was read-only, now may write")
    return problems


@pytest.mark.anyio
async def test_no_breaking_change_since_the_golden_contract(client):
    current = await published_contract(client)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    assert breaking_changes(json.loads(GOLDEN.read_text()), current) == []


# --- behaviour ------------------------------------------------------------------------------


def structured(result) -> dict:
    assert not result.is_error, f"unexpected tool error: {result.content}"
    assert isinstance(result.structured_content, dict), "no structuredContent"
    return result.structured_content


def assert_book(book: dict) -> None:
    for field in ("isbn", "title", "author"):
        assert isinstance(book[field], str), f"book.{field} is {book[field]!r}"
    for field in ("year", "available_copies"):
        assert isinstance(book[field], int) and not isinstance(book[field], bool), f"book.{field} is {book[field]!r}"


@pytest.mark.anyio
async def test_search_returns_typed_books(client):
    result = structured(await client.call_tool("search_books", {"query": "the"}))
    assert isinstance(result["total"], int) and result["total"] >= len(result["books"]) > 0
    for book in result["books"]:
        assert_book(book)


@pytest.mark.anyio
async def test_every_tool_accepts_its_required_arguments_alone(client):
    found = structured(await client.call_tool("search_books", {"query": "linux"}))
    isbn = found["books"][0]["isbn"]
    assert_book(structured(await client.call_tool("get_book", {"isbn": isbn})))
    loan = structured(await client.call_tool("borrow_book", {"isbn": isbn, "member_id": "M-0042"}))
    assert isinstance(loan["loan_id"], str) and loan["isbn"] == isbn and loan["member_id"] == "M-0042"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", loan["due_date"]), loan["due_date"]
    returned = structured(await client.call_tool("return_book", {"loan_id": loan["loan_id"]}))
    assert returned["isbn"] == isbn and returned["late"] is False


@pytest.mark.anyio
async def test_unknown_isbn_is_an_error(client):
    result = await client.call_tool("get_book", {"isbn": UNKNOWN_ISBN})
    assert result.is_error, f"get_book({UNKNOWN_ISBN}) succeeded: {result.structured_content}"


@pytest.mark.anyio
async def test_borrowing_a_book_with_no_copy_is_an_error(client):
    found = structured(await client.call_tool("search_books", {"query": "design patterns"}))
    book = found["books"][0]
    assert book["available_copies"] == 0
    result = await client.call_tool("borrow_book", {"isbn": book["isbn"], "member_id": "M-0042"})
    assert result.is_error, f"borrow_book lent a book with no copy: {result.structured_content}"


@pytest.mark.anyio
async def test_returning_an_unknown_loan_is_an_error(client):
    result = await client.call_tool("return_book", {"loan_id": "L-9999"})
    assert result.is_error, f"return_book accepted an unknown loan: {result.structured_content}"

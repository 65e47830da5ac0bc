"""Contract tests for the library-desk server (contract-tests lab, starter).

The grader copies the lab's server.py next to this file on every run; the tests import it and talk
to its server object through the SDK's in-memory Client (or start it over stdio, as clients do).
Run them locally with `python -m pytest` in a folder holding this file and a copy of
labs/contract-tests/subject/python/server.py.

This starter only checks that the four tools are listed. Grow it into a contract suite:
- a golden copy of the contract (tools/list: names, inputSchema, outputSchema), and a check that
  nothing a client relies on has changed: no tool, argument or output field gone, no type changed,
  no argument newly required. New tools, new optional arguments, new output fields, reworded
  descriptions and another order must NOT fail it;
- behaviour: real calls whose results have the documented types, and every documented error case
  (unknown ISBN, no copy on the shelf, unknown loan) answered with isError.
"""

import pytest
from mcp import Client

import server

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


@pytest.mark.anyio
async def test_the_tools_are_listed(client):
    names = {tool.name for tool in (await client.list_tools()).tools}
    assert {"search_books", "get_book", "borrow_book", "return_book"} <= names

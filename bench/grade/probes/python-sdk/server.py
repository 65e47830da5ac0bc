"""bench:grade probe: the interpreter imports the SDK server, writes one line, then waits for stdin to close."""

import sys

import mcp.server.mcpserver  # noqa: F401

sys.stdout.write("ready\n")
sys.stdout.flush()
sys.stdin.read()

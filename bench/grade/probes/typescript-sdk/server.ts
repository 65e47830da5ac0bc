// bench:grade probe: Node imports the SDK server modules, writes one line, then waits for stdin to close.
import "@modelcontextprotocol/sdk/server/mcp.js";
import "@modelcontextprotocol/sdk/server/stdio.js";

process.stdout.write("ready\n");
process.stdin.resume();

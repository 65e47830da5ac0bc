// bench:grade probe: Node alone writes one line, then waits for stdin to close.
process.stdout.write("ready\n");
process.stdin.resume();

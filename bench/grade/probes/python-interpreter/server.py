"""bench:grade probe: the interpreter alone writes one line, then waits for stdin to close."""

import sys

sys.stdout.write("ready\n")
sys.stdout.flush()
sys.stdin.read()

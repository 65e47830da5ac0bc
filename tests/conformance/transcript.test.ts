import { describe, expect, it } from "vitest";
import { createTranscript } from "../../conformance/transcript.ts";

function transcriptOf(events: Parameters<ReturnType<typeof createTranscript>>[0][]): string {
  let out = "";
  const write = createTranscript({ write: (t) => (out += t), color: false, showTraffic: true });
  for (const e of events) write(e);
  return out;
}

describe("transcript", () => {
  it("labels a server's stderr by line, keeping a partial line until it ends", () => {
    const out = transcriptOf([
      { type: "stderr", chunk: "first\nsec" },
      { type: "stderr", chunk: "ond\n" },
    ]);
    expect(out).toBe("[server stderr] first\n[server stderr] second\n");
  });

  it("labels a test-suite lab's runner output as test output, not server stderr", () => {
    const out = transcriptOf([{ type: "stderr", source: "tests", chunk: "1 passed\n" }]);
    expect(out).toBe("[test output] 1 passed\n");
  });

  it("prints JSON-RPC traffic with its direction", () => {
    const out = transcriptOf([
      { type: "trace", entry: { t: 0, dir: "c2s", msg: { jsonrpc: "2.0", id: 1, method: "ping" } } },
    ]);
    expect(out).toBe('-> {"jsonrpc":"2.0","id":1,"method":"ping"}\n');
  });
});

// stdio: stdout carries only JSON-RPC. Spec: 2025-11-25/basic/transports#stdio
// ("The server MUST NOT write anything to its stdout that is not a valid MCP message.")
import type { CheckContext, CheckDefinition } from "../check-api.ts";

export const stdoutOnlyJsonRpc: CheckDefinition = {
  id: "stdout-only-jsonrpc",
  title: "stdout carries only JSON-RPC messages",
  severity: "must",
  specRef: "2025-11-25/basic/transports#stdio",
  lesson: "m2/getting-started",
  // Runs last (after stdio-clean-shutdown when both run): a print() into a block-buffered stdout
  // often reaches the pipe only when the process exits, and it must still be caught.
  stage: "final",
  appliesTo: (server) => server.transport === "stdio" || "only stdio servers talk over stdout",
  hint: "On stdio, stdout is the protocol channel. Log to stderr: print(..., file=sys.stderr) / logging; console.error(...) in Node.",
  async run(ctx: CheckContext) {
    // A round trip first, so that anything printed before it is in (the server may have exited
    // already, after a shutdown check: then everything is in).
    await ctx.ping().catch(() => undefined);
    const noise = ctx.stdoutNoise();
    if (noise.length === 0) return "nothing but JSON-RPC on stdout";
    const shown = noise
      .slice(0, 5)
      .map(
        (l) =>
          `  at ${(l.t / 1000).toFixed(2)} s: ${l.text === "" ? "(an empty line)" : JSON.stringify(l.text.slice(0, 200))}`,
      )
      .join("\n");
    return ctx.expect.fail(
      `Your server wrote ${noise.length} line${noise.length === 1 ? "" : "s"} to stdout that ${noise.length === 1 ? "is" : "are"} not JSON-RPC:\n${shown}${noise.length > 5 ? `\n  … and ${noise.length - 5} more` : ""}`,
      {
        expected: "only newline-delimited JSON-RPC messages on stdout",
        actual: noise[0].text,
      },
    );
  },
};

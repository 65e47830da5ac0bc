// ctx.expect helpers that lab authors asked for: a refusal that must say something, and values
// validated against a tool's own JSON Schema.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createExpect, isCheckFailure, McpRequestError } from "../../conformance/check-expect.ts";

const check = createExpect();
const toolError = (text: string) => async (): Promise<CallToolResult> => ({
  isError: true,
  content: [{ type: "text", text }],
});
const failureOf = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    if (isCheckFailure(err)) return err.message;
    throw err;
  }
  return null;
};

describe("expect.toolRejects({ mentions })", () => {
  it("passes when the refusal says it, in a tool error or a JSON-RPC error", async () => {
    await expect(
      check.toolRejects(toolError("Path escapes the docs root"), { mentions: "docs root" }),
    ).resolves.toMatchObject({ via: "isError" });
    const rpc = async (): Promise<CallToolResult> => {
      throw new McpRequestError("rpc-error", "tools/call", {}, "Invalid params: limit must be <= 50", -32602);
    };
    await expect(check.toolRejects(rpc, { mentions: /limit/ })).resolves.toMatchObject({ via: "rpc-error" });
  });

  it("fails a refusal that does not say it, quoting what it said", async () => {
    const message = await failureOf(check.toolRejects(toolError("error"), { mentions: "docs root" }));
    expect(message).toBe('The call was refused, but the refusal does not say "docs root".');
  });
});

describe("expect.validatesAgainst", () => {
  const schema = {
    type: "object",
    properties: { id: { type: "string" }, count: { type: "integer", minimum: 0 } },
    required: ["id"],
  };
  it("passes a valid value and fails an invalid one naming the path", async () => {
    expect(() => check.validatesAgainst(schema, { id: "a", count: 2 }, "the result")).not.toThrow();
    expect(await failureOf(() => check.validatesAgainst(schema, { count: -1 }, "the result"))).toMatch(
      /^the result: .*(must have required property 'id'|\/count must be >= 0)/,
    );
  });
  it("fails on a schema it cannot use", async () => {
    expect(await failureOf(() => check.validatesAgainst({ type: "string" }, "x", "the result"))).toMatch(
      /the schema is not usable: its type is "string"/,
    );
  });
});

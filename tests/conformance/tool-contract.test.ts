// The shared schema readers and the tools-listed contract check, on schemas as both SDKs publish
// them: Python's Optional as anyOf-with-null and $defs references, TypeScript's plain types.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { allowedValues, propertySchema, propertyTypes } from "../../conformance/schema-inspect.ts";
import { toolContractProblems } from "../../conformance/tool-contract.ts";

const pythonSearch: Tool = {
  name: "search_notes",
  inputSchema: {
    type: "object",
    $defs: { Level: { enum: ["low", "high"], type: "string" } },
    properties: {
      query: { type: "string" },
      limit: { anyOf: [{ type: "integer" }, { type: "null" }], default: null },
      level: { $ref: "#/$defs/Level", default: "low" },
    },
    required: ["query"],
  },
};
const typescriptDelete: Tool = {
  name: "delete_note",
  inputSchema: { type: "object", properties: { id: { type: "number" } } },
};

describe("schema readers", () => {
  it("unwrap Optional and follow $ref, keeping the outer default", () => {
    const schema = pythonSearch.inputSchema;
    expect(propertySchema(schema, "limit")).toEqual({ type: "integer", default: null });
    expect(propertyTypes(schema, "limit")).toEqual(["integer"]);
    expect(allowedValues(propertySchema(schema, "level"))).toEqual(["low", "high"]);
    expect(propertyTypes(schema, "missing")).toEqual([]);
  });
});

describe("toolContractProblems", () => {
  const expected = {
    search_notes: { params: { query: ["string"], limit: ["integer", "number"] }, required: ["query"] },
    delete_note: { params: { id: ["string"] }, required: ["id"] },
    add_note: { params: { title: ["string"] }, required: ["title"] },
  };
  it("names every missing tool, missing or mistyped parameter and optional-that-must-be-required", () => {
    expect(toolContractProblems([pythonSearch, typescriptDelete], expected)).toEqual([
      'delete_note: "id" is number, expected string',
      'delete_note: "id" is not required',
      "add_note is not listed",
    ]);
  });
  it("is empty when the tools fit", () => {
    expect(toolContractProblems([pythonSearch], { search_notes: expected.search_notes })).toEqual([]);
  });
});

// The playground's tool form: fieldsOf reads a tool's inputSchema into fields (every kind, Python's
// Optional[X] as anyOf [X, null], required, description, default), and buildArguments turns the
// form's strings back into typed arguments, or says which field is wrong.
import { describe, expect, it } from "vitest";
import { buildArguments, type Field, fieldsOf } from "../../../app/labs/[lab]/schema-form.tsx";

describe("fieldsOf", () => {
  it("reads every kind of field", () => {
    const fields = fieldsOf({
      type: "object",
      properties: {
        title: { type: "string", description: "Short title." },
        ratio: { type: "number" },
        limit: { type: "integer", default: 10 },
        urgent: { type: "boolean" },
        priority: { type: "string", enum: ["low", "high"] },
        tags: { type: "array", items: { type: "string" } },
        scores: { type: "array", items: { type: "number" } },
        ids: { type: "array", items: { type: "integer" } },
        meta: { type: "object", properties: { a: { type: "string" } } },
        pairs: { type: "array", items: { type: "object" } },
        anything: {},
      },
      required: ["title", "priority"],
    });
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["title", "string", true],
      ["ratio", "number", false],
      ["limit", "integer", false],
      ["urgent", "boolean", false],
      ["priority", "enum", true],
      ["tags", "list", false],
      ["scores", "list", false],
      ["ids", "list", false],
      ["meta", "json", false],
      ["pairs", "json", false],
      ["anything", "json", false],
    ]);
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName.title.description).toBe("Short title.");
    expect(byName.limit.defaultValue).toBe(10);
    expect(byName.priority.options).toEqual(["low", "high"]);
    expect([byName.tags.itemKind, byName.scores.itemKind, byName.ids.itemKind]).toEqual([
      "string",
      "number",
      "integer",
    ]);
  });

  it("reads Optional[X] (anyOf/oneOf with null, or a type list with null) as an optional X", () => {
    const fields = fieldsOf({
      properties: {
        tags: { anyOf: [{ type: "array", items: { type: "string" } }, { type: "null" }], default: null },
        count: { oneOf: [{ type: "integer" }, { type: "null" }] },
        note: { type: ["string", "null"] },
        level: { anyOf: [{ type: "string", enum: ["a", "b"] }, { type: "null" }] },
        either: { anyOf: [{ type: "string" }, { type: "integer" }] },
      },
    });
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ["tags", "list"],
      ["count", "integer"],
      ["note", "string"],
      ["level", "enum"],
      // Two real branches: no single form field fits, so JSON.
      ["either", "json"],
    ]);
    expect(fields[0].defaultValue).toBeNull();
  });

  it("an enum that is not all strings is read by its type", () => {
    expect(fieldsOf({ properties: { n: { type: "integer", enum: [1, 2] } } })[0].kind).toBe("integer");
  });

  it("no schema, or no properties: no fields", () => {
    expect(fieldsOf(undefined)).toEqual([]);
    expect(fieldsOf({ type: "object" })).toEqual([]);
  });
});

describe("buildArguments", () => {
  const field = (name: string, kind: Field["kind"], extra: Partial<Field> = {}): Field => ({
    name,
    kind,
    required: false,
    ...extra,
  });

  it("types each value by its field", () => {
    const fields: Field[] = [
      field("title", "string"),
      field("ratio", "number"),
      field("limit", "integer"),
      field("urgent", "boolean"),
      field("off", "boolean"),
      field("priority", "enum", { options: ["low", "high"] }),
      field("tags", "list", { itemKind: "string" }),
      field("scores", "list", { itemKind: "number" }),
      field("ids", "list", { itemKind: "integer" }),
      field("meta", "json"),
    ];
    const built = buildArguments(fields, {
      title: "Groceries",
      ratio: "0.25",
      limit: " 7 ",
      urgent: true,
      off: false,
      priority: "high",
      tags: "home, errands,, ",
      scores: "1.5, 2",
      ids: "3,4",
      meta: '{"a": [1, null]}',
    });
    expect(built).toEqual({
      ok: true,
      value: {
        title: "Groceries",
        ratio: 0.25,
        limit: 7,
        urgent: true,
        off: false,
        priority: "high",
        tags: ["home", "errands"],
        scores: [1.5, 2],
        ids: [3, 4],
        meta: { a: [1, null] },
      },
    });
  });

  it("leaves out empty optional fields (the server's defaults apply), keeps a required empty string", () => {
    const fields = [
      field("title", "string", { required: true }),
      field("body", "string"),
      field("limit", "integer"),
      field("urgent", "boolean"),
      field("tags", "list", { itemKind: "string" }),
      field("meta", "json"),
    ];
    expect(buildArguments(fields, { body: "   ", limit: "" })).toEqual({ ok: true, value: { title: "" } });
  });

  it.each([
    [field("limit", "integer", { required: true }), "", "limit is required"],
    [field("level", "enum", { required: true, options: ["a"] }), "", "level is required"],
    [field("tags", "list", { required: true, itemKind: "string" }), " ", "tags is required"],
    [field("meta", "json", { required: true }), "", "meta is required"],
    [field("limit", "integer"), "2.5", "limit must be an integer"],
    [field("limit", "integer"), "ten", "limit must be an integer"],
    [field("ratio", "number"), "abc", "ratio must be a number"],
    [field("ratio", "number"), "Infinity", "ratio must be a number"],
    [
      field("scores", "list", { itemKind: "number" }),
      "1, two",
      "scores must be a comma-separated list of numbers",
    ],
    [
      field("ids", "list", { itemKind: "integer" }),
      "1, 2.5",
      "ids must be a comma-separated list of integers",
    ],
    [field("meta", "json"), "{not json", "meta must be JSON"],
  ])("refuses %o = %j: %s", (f, raw, error) => {
    expect(buildArguments([f], { [f.name]: raw })).toEqual({ ok: false, error });
  });
});

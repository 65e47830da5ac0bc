// What grades the schemas lab. `stdout-only-jsonrpc` (and the other protocol checks named in
// lab.yaml) come from the engine; the checks below are this lab's contract.
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { CheckContext, CheckDefinition } from "../../conformance/check-api.ts";
import { CheckFailure, isMcpRequestError, textOf } from "../../conformance/check-api.ts";
import { allowedValues, propertySchema, type Schema, typesOf } from "../../conformance/schema-inspect.ts";
import {
  type Args,
  badLabels,
  boundaryTickets,
  COMPONENTS,
  extraProperty,
  missingRequired,
  outOfRange,
  PRIORITIES,
  REQUIRED,
  unknownEnums,
  unknownId,
  type Violation,
  validTicket,
} from "./generate.ts";
import { leakedInternals, parseJsonObject, resultObject, validateAgainst } from "./inspect.ts";

const sameSet = (a: readonly unknown[] | undefined, b: readonly unknown[]): boolean =>
  a !== undefined && a.length === b.length && b.every((v) => a.includes(v));

async function tool(ctx: CheckContext, name: string): Promise<Tool> {
  const tools = await ctx.allTools();
  const found = tools.find((t) => t.name === name);
  if (!found) {
    throw new CheckFailure(`${name} is not listed in tools/list`, { actual: tools.map((t) => t.name) });
  }
  return found;
}

/** create_ticket that must succeed; returns the result and the ticket object in it. */
async function create(ctx: CheckContext, args: Args): Promise<{ result: CallToolResult; ticket: Schema }> {
  const result = await ctx.callTool("create_ticket", args);
  ctx.expect.notError(result, `create_ticket refused a valid ticket: ${textOf(result)}`, { sent: args });
  const ticket = resultObject(result);
  if (!ticket || typeof ticket.id !== "string") {
    throw new CheckFailure("create_ticket did not return the ticket with its id", {
      expected: "structuredContent (or JSON text) with a string `id`",
      actual: result,
    });
  }
  return { result, ticket };
}

/** Sends each violating input; fails listing every one that was accepted or not explained. */
async function expectRejected(ctx: CheckContext, violations: Violation[], hint: string): Promise<string> {
  const problems: string[] = [];
  const sent: Args[] = [];
  for (const v of violations) {
    let text: string;
    try {
      const result = await ctx.callTool("create_ticket", v.args);
      if (result.isError !== true) {
        problems.push(`accepted: ${v.why}`);
        sent.push(v.args);
        continue;
      }
      text = textOf(result);
    } catch (err) {
      // The other form the spec allows: a JSON-RPC "invalid params" error.
      if (!isMcpRequestError(err) || err.kind !== "rpc-error") throw err;
      if (err.code !== -32602) {
        problems.push(`answered ${v.why} with JSON-RPC error ${err.code} (expected isError: true or -32602)`);
        sent.push(v.args);
        continue;
      }
      text = err.message;
    }
    if (!text.includes(v.field)) {
      problems.push(`refused ${v.why}, but the message does not name "${v.field}": "${text.slice(0, 200)}"`);
      sent.push(v.args);
    }
  }
  if (problems.length > 0) {
    throw new CheckFailure(`create_ticket ${problems.join("; ")}`, {
      expected: "each refused (isError: true or JSON-RPC -32602) with a message naming the field",
      actual: problems,
      sent,
      hint,
    });
  }
  return `refused all ${violations.length}, each naming the field`;
}

export const checks: CheckDefinition[] = [
  {
    id: "create-ticket-schema-declared",
    title: "create_ticket's inputSchema declares every constraint",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#tool",
    async run(ctx: CheckContext) {
      const schema = (await tool(ctx, "create_ticket")).inputSchema as Schema;
      const problems: string[] = [];
      const title = propertySchema(schema, "title");
      if (!typesOf(title).includes("string") || title?.minLength !== 3 || title?.maxLength !== 120) {
        problems.push("title: string with minLength 3 and maxLength 120");
      }
      const priority = propertySchema(schema, "priority");
      if (!sameSet(allowedValues(priority), PRIORITIES))
        problems.push(`priority: enum ${PRIORITIES.join("|")}`);
      if (priority?.default !== "medium") problems.push('priority: default "medium"');
      if (!sameSet(allowedValues(propertySchema(schema, "component")), COMPONENTS)) {
        problems.push(`component: enum ${COMPONENTS.join("|")}`);
      }
      const hours = propertySchema(schema, "estimate_hours");
      const min =
        hours?.minimum ??
        (typeof hours?.exclusiveMinimum === "number" ? hours.exclusiveMinimum + 1 : undefined);
      const max =
        hours?.maximum ??
        (typeof hours?.exclusiveMaximum === "number" ? hours.exclusiveMaximum - 1 : undefined);
      if (!typesOf(hours).includes("integer") || min !== 1 || max !== 40) {
        problems.push("estimate_hours: integer with minimum 1 and maximum 40");
      }
      const labels = propertySchema(schema, "labels");
      if (!typesOf(labels).includes("array") || labels?.maxItems !== 5 || labels?.uniqueItems !== true) {
        problems.push("labels: array with maxItems 5 and uniqueItems true");
      }
      const required = Array.isArray(schema.required) ? schema.required : [];
      if (!sameSet(required, REQUIRED)) problems.push(`required: exactly ${REQUIRED.join(", ")}`);
      if (schema.additionalProperties !== false) problems.push("additionalProperties: false");
      if (problems.length > 0) {
        throw new CheckFailure(`The published inputSchema is missing: ${problems.join("; ")}.`, {
          expected: problems,
          actual: schema,
          hint: "A constraint the model cannot see is one it will violate: declare it in the schema, not only in code.",
        });
      }
      return "lengths, enums, default, bounds, labels, required and additionalProperties all declared";
    },
  },
  {
    id: "valid-ticket-accepted",
    title: "Valid tickets, boundary values included, are accepted and echoed back",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#calling-tools",
    async run(ctx: CheckContext) {
      const cases = [
        { what: "a typical ticket", args: validTicket(ctx.random) },
        ...boundaryTickets(ctx.random),
      ];
      for (const c of cases) {
        const { ticket } = await create(ctx, c.args);
        for (const [key, value] of Object.entries(c.args)) {
          ctx.expect.equal(ticket[key], value, `create_ticket with ${c.what} returned a different ${key}`, {
            sent: c.args,
          });
        }
      }
      return `accepted ${cases.length} valid tickets, boundaries included`;
    },
  },
  {
    id: "rejects-out-of-range",
    title: "Out-of-range title and estimate_hours are refused, naming the field",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["valid-ticket-accepted"],
    run: (ctx: CheckContext) =>
      expectRejected(
        ctx,
        outOfRange(ctx.random),
        "Python: Annotated[int, Field(ge=1, le=40)], Field(min_length=3, max_length=120); TypeScript: z.number().int().min(1).max(40), z.string().min(3).max(120).",
      ),
  },
  {
    id: "rejects-unknown-enum",
    title: "A priority or component outside its enum is refused, naming the field",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["valid-ticket-accepted"],
    run: (ctx: CheckContext) =>
      expectRejected(
        ctx,
        unknownEnums(ctx.random),
        'Python: Literal["low", "medium", "high", "urgent"]; TypeScript: z.enum([...]). Plain strings accept anything.',
      ),
  },
  {
    id: "rejects-missing-required",
    title: "A missing title, component or estimate_hours is refused, naming the field",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["valid-ticket-accepted"],
    run: (ctx: CheckContext) =>
      expectRejected(
        ctx,
        missingRequired(ctx.random),
        "Required fields have no default (Python) and are not .optional() (TypeScript).",
      ),
  },
  {
    id: "rejects-extra-property",
    title: "An undeclared argument is refused, naming it",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["valid-ticket-accepted"],
    run: (ctx: CheckContext) =>
      expectRejected(
        ctx,
        [extraProperty(ctx.random)],
        'Unknown keys are silently dropped by default. TypeScript: z.object({...}).strict(); Python: an argument model with extra="forbid" (see README).',
      ),
  },
  {
    id: "rejects-bad-labels",
    title: "Duplicate labels and more than five labels are refused",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["valid-ticket-accepted"],
    run: (ctx: CheckContext) =>
      expectRejected(
        ctx,
        badLabels(ctx.random),
        "uniqueItems in the schema is only a promise: reject duplicates in validation too (AfterValidator / .refine), and cap the list at 5.",
      ),
  },
  {
    id: "default-priority-applied",
    title: "Omitting priority stores medium",
    severity: "must",
    lesson: "m3/json-schema-inputs",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["valid-ticket-accepted"],
    async run(ctx: CheckContext) {
      const { priority: _priority, ...args } = validTicket(ctx.random);
      const { ticket } = await create(ctx, args);
      ctx.expect.equal(ticket.priority, "medium", "create_ticket without a priority did not store medium", {
        sent: args,
        hint: "The default you publish must be the default you apply.",
      });
      const fetched = resultObject(await ctx.callTool("get_ticket", { id: ticket.id }));
      ctx.expect.equal(
        fetched?.priority,
        "medium",
        `get_ticket(${String(ticket.id)}) does not show priority medium`,
      );
      return `${String(ticket.id)} stored with priority medium`;
    },
  },
  {
    id: "output-schema-declared",
    title: "create_ticket and get_ticket declare an object outputSchema",
    severity: "must",
    lesson: "m3/designing-outputs",
    specRef: "2025-11-25/server/tools#output-schema",
    async run(ctx: CheckContext) {
      for (const name of ["create_ticket", "get_ticket"]) {
        const declared = (await tool(ctx, name)).outputSchema;
        ctx.expect.ok(
          declared?.type === "object" && declared.properties && Object.keys(declared.properties).length > 0,
          `${name} declares no outputSchema with properties`,
          {
            expected: 'outputSchema: { "type": "object", "properties": { ... } }',
            actual: declared ?? "(no outputSchema)",
            hint: "Python: give the tool a return type (a pydantic model); TypeScript: outputSchema in registerTool.",
          },
        );
      }
      return "both tools declare their output";
    },
  },
  {
    id: "structured-content-valid",
    title: "Every structuredContent validates against the declared outputSchema",
    severity: "must",
    lesson: "m3/designing-outputs",
    specRef: "2025-11-25/server/tools#output-schema",
    requires: ["output-schema-declared", "valid-ticket-accepted"],
    async run(ctx: CheckContext) {
      const { result: created, ticket } = await create(ctx, validTicket(ctx.random));
      const fetched = await ctx.callTool("get_ticket", { id: ticket.id });
      ctx.expect.notError(fetched);
      for (const [name, result] of [
        ["create_ticket", created],
        ["get_ticket", fetched],
      ] as const) {
        const declared = (await tool(ctx, name)).outputSchema as Schema;
        ctx.expect.ok(result.structuredContent !== undefined, `${name} returned no structuredContent`, {
          actual: result,
          hint: "A tool that declares an outputSchema MUST return structuredContent that conforms to it.",
        });
        const problems = validateAgainst(declared, result.structuredContent);
        ctx.expect.ok(
          problems.length === 0,
          `${name}'s structuredContent does not match its outputSchema: ${problems.join("; ")}`,
          {
            expected: declared,
            actual: result.structuredContent,
            hint: "Build the result from the same model/schema you declare.",
          },
        );
      }
      return "create_ticket and get_ticket results validate";
    },
  },
  {
    id: "text-content-mirror",
    title: "Structured results also carry the same JSON as text",
    severity: "should",
    lesson: "m3/designing-outputs",
    specRef: "2025-11-25/server/tools#structured-content",
    requires: ["output-schema-declared", "valid-ticket-accepted"],
    async run(ctx: CheckContext) {
      const { result, ticket } = await create(ctx, validTicket(ctx.random));
      const fetched = await ctx.callTool("get_ticket", { id: ticket.id });
      for (const [name, r] of [
        ["create_ticket", result],
        ["get_ticket", fetched],
      ] as const) {
        ctx.expect.equal(
          parseJsonObject(textOf(r)),
          r.structuredContent,
          `${name}'s text block is not its structuredContent as JSON`,
          {
            hint: "Older clients only read content: put JSON.stringify(structuredContent) in a text block.",
          },
        );
      }
      return "text blocks mirror structuredContent";
    },
  },
  {
    id: "unknown-id-is-actionable-error",
    title: "get_ticket with an unknown id is a tool error that names the id",
    severity: "must",
    lesson: "m7/error-handling",
    specRef: "2025-11-25/server/tools#error-handling",
    async run(ctx: CheckContext) {
      const known = resultObject(await ctx.callTool("create_ticket", validTicket(ctx.random)))?.id;
      const id = unknownId(ctx.random, typeof known === "string" ? known : undefined);
      let result: CallToolResult;
      try {
        result = await ctx.callTool("get_ticket", { id });
      } catch (err) {
        throw new CheckFailure(
          `get_ticket("${id}") answered with a JSON-RPC error instead of a tool result`,
          {
            expected: "a result with isError: true",
            actual: err instanceof Error ? err.message : err,
            hint: "A missing ticket is a tool execution error the model can read and act on, not a protocol error.",
          },
        );
      }
      const text = ctx.expect.isError(
        result,
        `get_ticket("${id}") did not report an error for an id that does not exist`,
        { hint: "Return isError: true (Python: raise ToolError) for a ticket that does not exist." },
      );
      ctx.expect.includes(text, id, `get_ticket's error does not name the id "${id}"`, {
        hint: "Say which id was not found and what to do (e.g. 'ids look like TCK-0001, returned by create_ticket').",
      });
      return `isError naming ${id}: "${text.slice(0, 120)}"`;
    },
  },
  {
    id: "errors-hide-internals",
    title: "Error messages carry no stack traces or server paths",
    severity: "must",
    lesson: "m7/error-handling",
    specRef: "2025-11-25/server/tools#security-considerations",
    async run(ctx: CheckContext) {
      const attempts: Array<{ tool: string; args: Args }> = [
        { tool: "get_ticket", args: { id: unknownId(ctx.random, undefined) } },
        { tool: "create_ticket", args: outOfRange(ctx.random)[3].args },
        { tool: "create_ticket", args: missingRequired(ctx.random)[0].args },
        { tool: "create_ticket", args: { ...validTicket(ctx.random), estimate_hours: "three" } },
      ];
      for (const a of attempts) {
        const text = await ctx
          .callTool(a.tool, a.args)
          .then(textOf, (err: unknown) => (err instanceof Error ? err.message : String(err)));
        const leak = leakedInternals(text);
        ctx.expect.ok(!leak, `${a.tool}'s error message contains ${leak}`, {
          actual: text,
          sent: a.args,
          hint: "Log the exception to stderr; tell the client only what it can act on.",
        });
      }
      return `${attempts.length} error messages, none with internals`;
    },
  },
  {
    id: "resource-uris-versioned",
    title: "Resource URIs carry a version segment",
    severity: "must",
    lesson: "m3/resource-uri-design",
    specRef: "2025-11-25/server/resources#resource-templates",
    async run(ctx: CheckContext) {
      const uris = [
        ...(await ctx.allResources()).map((r) => r.uri),
        ...(await ctx.allResourceTemplates()).map((t) => t.uriTemplate),
      ];
      const versioned = (uri: string) => /^[a-z][a-z0-9+.-]*:\/\/(?:[^/]*\/)*?v\d+(?:\/|$)/i.test(uri);
      const bare = uris.filter((u) => !versioned(u));
      ctx.expect.ok(bare.length === 0, `Unversioned resource URIs: ${bare.join(", ")}`, {
        expected: "every URI with a /v<N>/ segment, e.g. tickets://v1/{id}",
        actual: uris,
        hint: "Put the version in the path so v2 can live next to v1 while clients migrate.",
      });
      for (const want of ["tickets://v1/{id}", "schema://v1/ticket"]) {
        ctx.expect.includes(uris, want, `${want} is not offered`, { actual: uris });
      }
      return `${uris.length} URIs, all versioned`;
    },
  },
  {
    id: "ticket-resource-matches",
    title: "tickets://v1/{id} equals get_ticket, and schema://v1/ticket describes it",
    severity: "must",
    lesson: "m3/resource-uri-design",
    specRef: "2025-11-25/server/resources#reading-resources",
    requires: ["resource-uris-versioned", "valid-ticket-accepted"],
    async run(ctx: CheckContext) {
      const { ticket } = await create(ctx, validTicket(ctx.random));
      const fetched = resultObject(await ctx.callTool("get_ticket", { id: ticket.id }));
      const uri = `tickets://v1/${String(ticket.id)}`;
      const read = await ctx.readResource(uri);
      const first = read.contents[0];
      const text = first && "text" in first ? String(first.text) : "";
      ctx.expect.equal(parseJsonObject(text), fetched, `${uri} differs from get_ticket's result`, {
        hint: "Serve the same object from the resource and the tool: one serializer, one shape.",
      });
      const schemaRead = await ctx.readResource("schema://v1/ticket");
      const schemaFirst = schemaRead.contents[0];
      const schema = parseJsonObject(schemaFirst && "text" in schemaFirst ? String(schemaFirst.text) : "");
      ctx.expect.ok(schema?.type === "object", "schema://v1/ticket is not a JSON Schema of an object", {
        actual: schemaRead,
      });
      const problems = validateAgainst(schema, fetched);
      ctx.expect.ok(
        problems.length === 0,
        `The ticket does not validate against schema://v1/ticket: ${problems.join("; ")}`,
        {
          expected: schema,
          actual: fetched,
        },
      );
      return `${uri} matches get_ticket and validates against schema://v1/ticket`;
    },
  },
];

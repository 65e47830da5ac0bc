// The contract-boundaries lab, proven both ways through the real grader: the reference solutions
// pass every check, the starters fail with readable messages, and each broken fixture fails exactly
// the check it breaks (checks that depend on it are skipped), nothing else. Then the grader's
// catalogue is held to the starters (what do_everything answered is what the checks expect), and
// the catch-all detector is tried on schemas as both SDKs publish them.
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import {
  type Incident,
  RUNBOOKS,
  renderPostmortem,
  SERVICES,
} from "../../labs/contract-boundaries/catalogue.ts";
import { argumentsFor, catchAllProblems } from "../../labs/contract-boundaries/inspect.ts";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, type Lang, REPO_DIR } from "./grade-cli.ts";

const LAB = "contract-boundaries";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_125);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, `${LAB}-${name}`);

const skipped = { status: "skipped" as const, message: /failed first/ };
const fails = (message: RegExp) => ({ status: "fail" as const, message });

/** Everything that needs create-incident (and so is skipped when it cannot run). */
const afterCreate = {
  "service-status-tool": skipped,
  "incident-resource-template": skipped,
  "incident-lifecycle": skipped,
  "delete-incident": skipped,
  "postmortem-prompt": skipped,
  "read-only-tools-change-nothing": skipped,
  "resources-change-nothing": skipped,
  "idempotent-hints-honest": skipped,
};

const starterFailures = {
  "no-catch-all-tool": fails(
    /do_everything: "action" \(a string\) selects what the tool does, "payload" is an object with no declared properties/,
  ),
  "tools-listed": fails(/get_service_status is not listed; create_incident is not listed/),
  "services-resource": fails(/resources\/list does not offer ops:\/\/services/),
  "runbook-resource-template": fails(/does not offer ops:\/\/services\/\{name\}\/runbook/),
  "create-incident": skipped,
  ...afterCreate,
  "destructive-hint-on-delete": fails(/delete_incident is not listed/),
  "create-incident-not-destructive": fails(/create_incident is not listed/),
  "tool-descriptions-say-when": skipped,
};

const cases: Expectation[] = [
  { name: "solution (python)", dir: lab("solution/python"), lang: "python", status: "pass", checks: {} },
  {
    name: "solution (typescript)",
    dir: lab("solution/typescript"),
    lang: "typescript",
    status: "pass",
    checks: {},
  },
  {
    name: "starter (python)",
    dir: lab("starter/python"),
    lang: "python",
    status: "fail",
    // mcp 2.3.0's MCPServer answers an unknown prompt with code 0 (a `should`; the solution fixes it).
    checks: { ...starterFailures, "prompts-get-unknown": fails(/-32602/) },
  },
  {
    name: "starter (typescript)",
    dir: lab("starter/typescript"),
    lang: "typescript",
    status: "fail",
    checks: starterFailures,
  },
  {
    name: "catch-all-kept",
    dir: fixture("catch-all-kept"),
    lang: "python",
    status: "fail",
    checks: { "no-catch-all-tool": fails(/^Catch-all tool: do_everything: "action" \(a string\)/) },
  },
  {
    name: "severity-free-text",
    dir: fixture("severity-free-text"),
    lang: "typescript",
    status: "fail",
    checks: {
      "tools-listed": fails(/create_incident: "severity" is not the enum critical\|major\|minor/),
      "create-incident": skipped,
      ...afterCreate,
      "tool-descriptions-say-when": skipped,
    },
  },
  {
    name: "services-as-tool",
    dir: fixture("services-as-tool"),
    lang: "python",
    status: "fail",
    checks: { "services-resource": fails(/resources\/list does not offer ops:\/\/services/) },
  },
  {
    name: "runbook-ignores-name",
    dir: fixture("runbook-ignores-name"),
    lang: "typescript",
    status: "fail",
    checks: {
      "runbook-resource-template": fails(
        /ops:\/\/services\/\w+\/runbook differs from the runbook do_everything's runbook action returned for \w+/,
      ),
    },
  },
  {
    name: "create-returns-text",
    dir: fixture("create-returns-text"),
    lang: "python",
    status: "fail",
    checks: { "create-incident": fails(/create_incident did not return the incident/), ...afterCreate },
  },
  {
    name: "status-ignores-severity",
    dir: fixture("status-ignores-severity"),
    lang: "typescript",
    status: "fail",
    checks: { "service-status-tool": fails(/With unresolved minor incidents, \w+ should be operational/) },
  },
  {
    name: "incident-text-plain",
    dir: fixture("incident-text-plain"),
    lang: "python",
    status: "fail",
    checks: {
      "incident-resource-template": fails(/ops:\/\/incidents\/INC-\d+ is not served as application\/json/),
      "incident-lifecycle": skipped,
      "delete-incident": skipped,
      "read-only-tools-change-nothing": skipped,
      "resources-change-nothing": skipped,
      "idempotent-hints-honest": skipped,
    },
  },
  {
    name: "resolve-drops-resolution",
    dir: fixture("resolve-drops-resolution"),
    lang: "typescript",
    status: "fail",
    checks: {
      "incident-lifecycle": fails(
        /resolve_incident\("INC-\d+"\) returned the wrong incident: resolution is null/,
      ),
    },
  },
  {
    name: "delete-keeps-incident",
    dir: fixture("delete-keeps-incident"),
    lang: "python",
    status: "fail",
    checks: {
      "delete-incident": fails(
        /ops:\/\/incidents\/INC-\d+ still answers with content after the incident was deleted/,
      ),
    },
  },
  {
    name: "postmortem-as-tool",
    dir: fixture("postmortem-as-tool"),
    lang: "typescript",
    status: "fail",
    checks: { "postmortem-prompt": fails(/offers no prompts at all .* so there is no postmortem prompt/) },
  },
  {
    name: "status-acknowledges",
    dir: fixture("status-acknowledges"),
    lang: "python",
    status: "fail",
    checks: {
      "read-only-tools-change-nothing": fails(
        /get_service_status is marked readOnlyHint: true, but calling it changed INC-\d+: state "open" → "acknowledged"/,
      ),
    },
  },
  {
    name: "resource-acknowledges",
    dir: fixture("resource-acknowledges"),
    lang: "typescript",
    status: "fail",
    checks: {
      "resources-change-nothing": fails(
        /Reading ops:\/\/incidents\/INC-\d+ changed INC-\d+: state "open" → "acknowledged"/,
      ),
    },
  },
  {
    name: "ack-twice-fails",
    dir: fixture("ack-twice-fails"),
    lang: "python",
    status: "fail",
    checks: {
      "idempotent-hints-honest": fails(
        /acknowledge_incident failed when called a second time with the same arguments/,
      ),
    },
  },
  {
    name: "delete-not-destructive",
    dir: fixture("delete-not-destructive"),
    lang: "typescript",
    status: "fail",
    checks: { "destructive-hint-on-delete": fails(/delete_incident does not say it is destructive/) },
  },
  {
    // A `should` failure is a warning: the lab still passes.
    name: "create-no-annotations",
    dir: fixture("create-no-annotations"),
    lang: "python",
    status: "pass",
    checks: {
      "create-incident-not-destructive": fails(/create_incident does not say destructiveHint: false/),
    },
  },
  {
    name: "vague-descriptions",
    dir: fixture("vague-descriptions"),
    lang: "typescript",
    status: "pass",
    checks: {
      "tool-descriptions-say-when": fails(
        /Too vague for a model to choose by: get_service_status, delete_incident/,
      ),
    },
  },
];

describe(`lab ${LAB}`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    assertGraded(await grade(LAB, want.dir, want.lang, SEED), want);
  });
});

// The checks compare the new surface with the catalogue in labs/contract-boundaries/catalogue.ts.
// That is only fair if the catalogue is what the starters' do_everything really answered, so
// each starter is driven here (trusted code: no sandbox) with the runtime the grader uses.
const RUNTIMES = process.env.MCP_LAB_RUNTIMES ?? "/opt/mcp-lab/runtimes";
const command: Record<Lang, { bin: string; entry: string }> = {
  python: { bin: path.join(RUNTIMES, "python/bin/python"), entry: "server.py" },
  typescript: { bin: path.join(RUNTIMES, "node/bin/node"), entry: "server.ts" },
};

async function withStarter(lang: Lang, body: (call: DoEverything) => Promise<void>): Promise<void> {
  const client = new Client({ name: "catalogue-test", version: "1.0.0" });
  const { bin, entry } = command[lang];
  await client.connect(
    new StdioClientTransport({ command: bin, args: [lab(`starter/${lang}/${entry}`)], stderr: "ignore" }),
  );
  const call: DoEverything = async (action, payload = {}) => {
    const result = await client.callTool({ name: "do_everything", arguments: { action, payload } });
    expect(result.isError, `${action}: ${JSON.stringify(result.content)}`).not.toBe(true);
    return result.structuredContent as Record<string, unknown>;
  };
  try {
    await body(call);
  } finally {
    await client.close();
  }
}

type DoEverything = (action: string, payload?: Record<string, unknown>) => Promise<Record<string, unknown>>;

describe(`lab ${LAB}: the catalogue matches the starters' do_everything`, () => {
  it.each(["python", "typescript"] as const)("%s starter", async (lang) => {
    await withStarter(lang, async (call) => {
      expect((await call("list_services")).services).toEqual(SERVICES);
      for (const { name } of SERVICES) {
        expect((await call("runbook", { service: name })).runbook).toBe(RUNBOOKS[name]);
      }
      const created = (await call("create_incident", {
        service: "search",
        title: "Stale results served (catalogue)",
        severity: "major",
      })) as Incident;
      expect(created).toMatchObject({ service: "search", state: "open", resolution: null });
      expect((await call("postmortem", { incident_id: created.id })).template).toBe(
        renderPostmortem(created),
      );
      expect(await call("service_status", { service: "search" })).toEqual({
        service: "search",
        status: "degraded",
        open_incidents: [created.id],
      });
      const resolved = (await call("resolve", {
        incident_id: created.id,
        resolution: "Fixed it.",
      })) as Incident;
      expect((await call("postmortem", { incident_id: created.id })).template).toBe(
        renderPostmortem(resolved),
      );
    });
  });
});

// The catch-all detector reads schemas as both SDKs publish them; each shape here is one a learner
// could plausibly submit (the graded fixtures cover do_everything itself).
describe(`lab ${LAB}: what counts as a catch-all`, () => {
  const tool = (properties: Record<string, object>, extra: Record<string, unknown> = {}): Tool => ({
    name: "t",
    inputSchema: { type: "object", properties, ...extra },
  });

  it("accepts typed task parameters, enums, nested objects with properties, and no parameters", () => {
    expect(
      catchAllProblems(
        tool(
          {
            service: { type: "string", minLength: 1 },
            severity: { enum: ["critical", "major", "minor"], type: "string" },
            note: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
            window: { type: "object", properties: { from: { type: "string" } } },
            tags: { type: "array", items: { type: "string" } },
          },
          { required: ["service"], additionalProperties: false },
        ),
      ),
    ).toEqual([]);
    expect(catchAllProblems(tool({}))).toEqual([]);
  });

  it("flags action switches by name, as a string or an enum", () => {
    expect(catchAllProblems(tool({ op: { enum: ["ack", "resolve"], type: "string" } }))).toEqual([
      '"op" (one of ack|resolve) selects what the tool does',
    ]);
    expect(catchAllProblems(tool({ command_type: { type: "string" } }))).toHaveLength(1);
    expect(
      catchAllProblems(tool({ Method: { anyOf: [{ const: "get" }, { const: "delete" }] } })),
    ).toHaveLength(1);
    // A number named `type` selects nothing by itself; it is not flagged.
    expect(catchAllProblems(tool({ type: { type: "integer" } }))).toEqual([]);
  });

  it("flags free-form data however the SDK spells it", () => {
    const problems = (p: object) => catchAllProblems(tool({ p }));
    // TypeScript z.record(z.string(), z.unknown())
    expect(problems({ type: "object", propertyNames: { type: "string" }, additionalProperties: {} })).toEqual(
      ['"p" is an object with no declared properties'],
    );
    // Python dict[str, Any] | None
    expect(
      problems({ anyOf: [{ type: "object", additionalProperties: true }, { type: "null" }], default: null }),
    ).toHaveLength(1);
    // Python Any, TypeScript z.any(): no constraint at all
    expect(problems({ title: "P" })).toEqual(['"p" accepts any value']);
    // an object with properties that still takes anything else
    expect(
      problems({ type: "object", properties: { a: { type: "string" } }, additionalProperties: true }),
    ).toEqual(['"p" is an object that accepts undeclared properties']);
    // a list of free-form objects
    expect(problems({ type: "array", items: { type: "object" } })).toEqual([
      '"p" is a list whose items are an object with no declared properties',
    ]);
    // $ref to a shapeless definition
    expect(
      catchAllProblems(tool({ p: { $ref: "#/$defs/Blob" } }, { $defs: { Blob: { type: "object" } } })),
    ).toHaveLength(1);
    expect(catchAllProblems(tool({ a: { type: "string" } }, { additionalProperties: true }))).toEqual([
      "the schema accepts arguments it does not declare (additionalProperties)",
    ]);
  });

  it("builds arguments for a read-only tool from its schema", () => {
    const t = tool(
      {
        service_name: { type: "string" },
        incident_id: { type: "string" },
        limit: { type: "integer" },
        order: { enum: ["asc", "desc"] },
        optional: { type: "string" },
      },
      { required: ["service_name", "incident_id", "limit", "order"] },
    );
    expect(argumentsFor(t, { service: "search", incidentId: "INC-0007" })).toEqual({
      service_name: "search",
      incident_id: "INC-0007",
      limit: 1,
      order: "asc",
    });
  });
});

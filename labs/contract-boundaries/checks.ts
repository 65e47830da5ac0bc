// What grades the contract-boundaries lab. `stdout-only-jsonrpc` (and the other protocol checks
// named in lab.yaml) come from the engine; the checks below are this lab's contract: no catch-all
// tool, every former action reachable through a tool, resource or prompt with the same results,
// read-only data as resources that change nothing, and annotations that match what tools do.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CheckContext, CheckDefinition } from "../../conformance/check-api.ts";
import { CheckFailure, isMcpRequestError } from "../../conformance/check-api.ts";
import { descriptionsSayWhen } from "../../conformance/reusable-checks.ts";
import { allowedValues, isObject, propertySchema, type Schema } from "../../conformance/schema-inspect.ts";
import { type ExpectedTool, toolContractProblems } from "../../conformance/tool-contract.ts";
import {
  createIncident,
  diffIncident,
  incidentTool,
  incidentUri,
  mismatch,
  readIncident,
  readIncidentContent,
  serviceStatus,
  textContent,
} from "./calls.ts";
import {
  type Incident,
  RUNBOOKS,
  renderPostmortem,
  SERVICES,
  SEVERITIES,
  type Severity,
  statusOf,
} from "./catalogue.ts";
import {
  incidentInput,
  resolutionText,
  serviceNames,
  unknownIncidentId,
  unknownService,
} from "./generate.ts";
import { argumentsFor, catchAllProblems, parseJson } from "./inspect.ts";

/** The tools of the contract: parameter -> accepted JSON types, and which are required. */
const TOOLS: Record<string, ExpectedTool> = {
  get_service_status: { params: { service: ["string"] }, required: ["service"] },
  create_incident: {
    params: { service: ["string"], title: ["string"], severity: ["string"] },
    required: ["service", "title", "severity"],
  },
  acknowledge_incident: { params: { incident_id: ["string"] }, required: ["incident_id"] },
  resolve_incident: {
    params: { incident_id: ["string"], resolution: ["string"] },
    required: ["incident_id", "resolution"],
  },
  delete_incident: { params: { incident_id: ["string"] }, required: ["incident_id"] },
};
const WRITERS = ["create_incident", "acknowledge_incident", "resolve_incident", "delete_incident"];

const RUNBOOK_TEMPLATE = /^ops:\/\/services\/\{[A-Za-z_][A-Za-z0-9_]*\}\/runbook$/;
const INCIDENT_TEMPLATE = /^ops:\/\/incidents\/\{[A-Za-z_][A-Za-z0-9_]*\}$/;

const sameSet = (a: readonly unknown[] | undefined, b: readonly unknown[]): boolean =>
  a !== undefined && a.length === b.length && b.every((v) => a.includes(v));

/** Line endings and trailing whitespace do not count; everything else does. */
const normalise = (text: string): string =>
  text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();

/** Fails when the server does not declare the capability a primitive needs, before listing it. */
function requireCapability(ctx: CheckContext, capability: "resources" | "prompts", what: string): void {
  ctx.expect.ok(
    ctx.server.capabilities?.[capability] !== undefined,
    `The server offers no ${capability} at all (initialize declared no "${capability}" capability), so there is no ${what}`,
    {
      actual: ctx.server.capabilities,
      hint:
        capability === "prompts"
          ? "Register the prompt (Python: @mcp.prompt(); TypeScript: server.registerPrompt) and the SDK declares the capability."
          : "Register the resource (Python: @mcp.resource(...); TypeScript: server.registerResource) and the SDK declares the capability.",
    },
  );
}

async function toolNamed(ctx: CheckContext, name: string): Promise<Tool> {
  const tools = await ctx.allTools();
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    throw new CheckFailure(`${name} is not listed, so there is nothing to check its annotations on`, {
      actual: tools.map((t) => t.name),
      hint: "Split do_everything into the tools README.md names; tools-listed says which are missing.",
    });
  }
  return tool;
}

export const checks: CheckDefinition[] = [
  {
    id: "no-catch-all-tool",
    title: "No catch-all tool: no action switch, no free-form payload",
    severity: "must",
    lesson: "m1/anti-patterns",
    specRef: "2025-11-25/server/tools#tool",
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const offenders = tools
        .map((t) => ({ tool: t, problems: catchAllProblems(t) }))
        .filter((o) => o.problems.length > 0);
      ctx.expect.ok(
        offenders.length === 0,
        `Catch-all tool${offenders.length > 1 ? "s" : ""}: ${offenders
          .map((o) => `${o.tool.name}: ${o.problems.join(", ")}`)
          .join("; ")}`,
        {
          expected:
            "one tool per task, every parameter typed and named for what it is: no action/command/op/operation/type/method parameter that picks the behaviour, no free-form object",
          actual: offenders.map((o) => ({ name: o.tool.name, inputSchema: o.tool.inputSchema })),
          hint: "Give each action its own tool with typed parameters (create_incident(service, title, severity), ...), serve read-only data as resources, and delete do_everything. A host approves, annotates and audits by tool name: one name for a read and a delete lets the delete through with the read.",
        },
      );
      return `${tools.length} tool${tools.length === 1 ? "" : "s"}, none a catch-all`;
    },
  },
  {
    id: "tools-listed",
    title: "tools/list offers the five task tools with typed parameters",
    severity: "must",
    lesson: "m1/anti-patterns",
    specRef: "2025-11-25/server/tools#listing-tools",
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const problems = toolContractProblems(tools, TOOLS);
      const create = tools.find((t) => t.name === "create_incident");
      if (
        create &&
        !sameSet(allowedValues(propertySchema(create.inputSchema as Schema, "severity")), SEVERITIES)
      ) {
        problems.push(`create_incident: "severity" is not the enum ${SEVERITIES.join("|")}`);
      }
      if (problems.length > 0) {
        throw new CheckFailure(`The tool contract is incomplete: ${problems.join("; ")}.`, {
          expected:
            "get_service_status(service), create_incident(service, title, severity: critical|major|minor), acknowledge_incident(incident_id), resolve_incident(incident_id, resolution), delete_incident(incident_id)",
          actual: tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema })),
          hint: "Names and parameters are the contract: the grader, like any client, calls them by these exact names. Python: Literal['critical', 'major', 'minor'] makes the enum; TypeScript: z.enum([...]).",
        });
      }
      return "all five tools, with the expected parameters";
    },
  },
  {
    id: "services-resource",
    title: "ops://services lists the services, as list_services did",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/resources#listing-resources",
    async run(ctx: CheckContext) {
      requireCapability(ctx, "resources", "ops://services");
      const resources = await ctx.allResources();
      ctx.expect.ok(
        resources.some((r) => r.uri === "ops://services"),
        "resources/list does not offer ops://services",
        {
          expected: 'a resource with uri "ops://services"',
          actual: resources.map((r) => r.uri),
          hint: 'The service list is read-only reference data: a resource, not a tool. Python: @mcp.resource("ops://services", mime_type="application/json"); TypeScript: server.registerResource("services", "ops://services", { mimeType: "application/json" }, ...).',
        },
      );
      const content = textContent(ctx, await ctx.readResource("ops://services"), "ops://services");
      ctx.expect.equal(
        content.mimeType,
        "application/json",
        "ops://services is not served as application/json",
        {
          hint: "Declare mimeType application/json (Python's default is text/plain).",
        },
      );
      const parsed = parseJson(content.text);
      // The starter's action wrapped the list as {"services": [...]}; both carry the same data.
      const list = isObject(parsed) && Array.isArray(parsed.services) ? parsed.services : parsed;
      const services = ctx.expect.matches(
        list,
        z.array(z.object({ name: z.string(), team: z.string(), tier: z.number() })),
        "ops://services is not a JSON array of { name, team, tier }",
      );
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      ctx.expect.equal(
        services.map(({ name, team, tier }) => ({ name, team, tier })).sort(byName),
        [...SERVICES].sort(byName),
        "ops://services differs from what do_everything's list_services returned",
        { hint: "Serve the same SERVICES data the starter had; only where it is published changes." },
      );
      return `${services.length} services, the same as list_services`;
    },
  },
  {
    id: "runbook-resource-template",
    title: "ops://services/{name}/runbook serves each runbook, as the runbook action did",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/resources#resource-templates",
    async run(ctx: CheckContext) {
      requireCapability(ctx, "resources", "runbook template");
      const templates = await ctx.allResourceTemplates();
      ctx.expect.ok(
        templates.some((t) => RUNBOOK_TEMPLATE.test(t.uriTemplate)),
        "resources/templates/list does not offer ops://services/{name}/runbook",
        {
          expected: 'a template with uriTemplate "ops://services/{name}/runbook"',
          actual: templates.map((t) => t.uriTemplate),
          hint: 'Python: @mcp.resource("ops://services/{name}/runbook", mime_type="text/markdown") on def runbook(name: str); TypeScript: registerResource with new ResourceTemplate("ops://services/{name}/runbook", { list: undefined }).',
        },
      );
      const names = serviceNames(ctx.random).slice(0, 2);
      for (const name of names) {
        const uri = `ops://services/${name}/runbook`;
        const content = textContent(ctx, await ctx.readResource(uri), uri);
        ctx.expect.equal(content.mimeType, "text/markdown", `${uri} is not served as text/markdown`, {
          hint: "A runbook is Markdown: declare mimeType text/markdown on the template.",
        });
        ctx.expect.equal(
          normalise(content.text),
          normalise(RUNBOOKS[name]),
          `${uri} differs from the runbook do_everything's runbook action returned for ${name}`,
          {
            hint: "Return the runbook text itself (not wrapped in JSON), unchanged from the starter's RUNBOOKS.",
          },
        );
      }
      const missing = `ops://services/${unknownService(ctx.random)}/runbook`;
      await ctx.expect.rpcError(() => ctx.readResource(missing), {
        message: `${missing} answered with content, but there is no such service`,
        hint: "A runbook that does not exist is a JSON-RPC error (Python: raise ResourceNotFoundError; TypeScript: throw new McpError(ErrorCode.InvalidParams, ...)).",
      });
      return `${names.join(" and ")} match; an unknown service is an error`;
    },
  },
  {
    id: "create-incident",
    title: "create_incident opens an incident and returns it",
    severity: "must",
    lesson: "m1/thin-layer-or-facade",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const input = incidentInput(ctx.random);
      const incident = await createIncident(ctx, input);
      ctx.expect.equal(
        { service: incident.service, title: incident.title, severity: incident.severity },
        input,
        "create_incident returned an incident that differs from what was sent",
      );
      ctx.expect.equal(
        { state: incident.state, resolution: incident.resolution },
        { state: "open", resolution: null },
        "A new incident should be open and unresolved",
      );
      const bad = incidentInput(ctx.random, unknownService(ctx.random));
      await ctx.expect.toolRejects(() => ctx.callTool("create_incident", bad), {
        message: `create_incident accepted the unknown service "${bad.service}"`,
        hint: "Refuse a service that is not in ops://services with isError: true and the list of known names.",
      });
      return `opened ${incident.id} on ${incident.service}; an unknown service is refused`;
    },
  },
  {
    id: "service-status-tool",
    title: "get_service_status derives the status from unresolved incidents, as service_status did",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["create-incident"],
    async run(ctx: CheckContext) {
      let service: string | undefined;
      for (const name of serviceNames(ctx.random)) {
        const baseline = await serviceStatus(ctx, name);
        if (baseline.open_incidents.length > 0) continue;
        ctx.expect.equal(
          baseline.status,
          "operational",
          `get_service_status("${name}") lists no open incidents but is not operational`,
        );
        service = name;
        break;
      }
      ctx.expect.ok(
        service,
        "Every service already lists open incidents, so none can be checked from a clean start",
        {
          hint: "The server starts with no incidents; only the grader's create_incident calls add them.",
        },
      );
      const opened: Array<{ id: string; severity: Severity }> = [];
      for (const severity of ["minor", "major", "critical"] as const) {
        const incident = await createIncident(ctx, incidentInput(ctx.random, service, severity));
        opened.push({ id: incident.id, severity });
        const status = await serviceStatus(ctx, service);
        const want = statusOf(opened.map((o) => o.severity));
        ctx.expect.equal(
          [...status.open_incidents].sort(),
          opened.map((o) => o.id).sort(),
          `get_service_status("${service}") does not list exactly the unresolved incidents`,
        );
        ctx.expect.equal(
          status.status,
          want,
          `With unresolved ${opened.map((o) => o.severity).join(", ")} incidents, ${service} should be ${want}`,
          {
            hint: "Any unresolved critical incident is an outage; else any major one is degraded; minor ones leave it operational.",
          },
        );
      }
      const bad = unknownService(ctx.random);
      await ctx.expect.toolRejects(() => ctx.callTool("get_service_status", { service: bad }), {
        message: `get_service_status("${bad}") succeeded, but there is no such service`,
        hint: "Answer isError: true naming the known services.",
      });
      return `${service}: operational → degraded → outage as incidents were opened`;
    },
  },
  {
    id: "incident-resource-template",
    title: "ops://incidents/{id} serves an incident as JSON",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/resources#reading-resources",
    requires: ["create-incident"],
    async run(ctx: CheckContext) {
      requireCapability(ctx, "resources", "incident template");
      const templates = await ctx.allResourceTemplates();
      ctx.expect.ok(
        templates.some((t) => INCIDENT_TEMPLATE.test(t.uriTemplate)),
        "resources/templates/list does not offer ops://incidents/{id}",
        {
          expected: 'a template with uriTemplate "ops://incidents/{id}"',
          actual: templates.map((t) => t.uriTemplate),
        },
      );
      const incident = await createIncident(ctx, incidentInput(ctx.random));
      const uri = incidentUri(incident.id);
      const { incident: read, mimeType } = await readIncidentContent(ctx, incident.id);
      ctx.expect.equal(mimeType, "application/json", `${uri} is not served as application/json`, {
        hint: "Declare mimeType application/json on the template (Python's default is text/plain).",
      });
      ctx.expect.equal(read, incident, `${uri} differs from the incident create_incident returned`);
      const missing = unknownIncidentId(ctx.random, incident.id);
      await ctx.expect.rpcError(() => ctx.readResource(incidentUri(missing)), {
        message: `${incidentUri(missing)} answered with content, but no such incident exists`,
        hint: "An incident that does not exist is a JSON-RPC error (Python: raise ResourceNotFoundError).",
      });
      return `${uri} matches create_incident's result`;
    },
  },
  {
    id: "incident-lifecycle",
    title: "acknowledge_incident and resolve_incident move an incident open → acknowledged → resolved",
    severity: "must",
    lesson: "m1/thin-layer-or-facade",
    specRef: "2025-11-25/server/tools#error-handling",
    requires: ["create-incident", "incident-resource-template"],
    async run(ctx: CheckContext) {
      const incident = await createIncident(ctx, incidentInput(ctx.random));
      const incident_id = incident.id;
      const acked = await incidentTool(ctx, "acknowledge_incident", { incident_id });
      const wantAcked: Incident = { ...incident, state: "acknowledged" };
      ctx.expect.equal(
        acked,
        wantAcked,
        `acknowledge_incident("${incident_id}") returned the wrong incident: ${mismatch(wantAcked, acked)}`,
      );
      ctx.expect.equal(
        await readIncident(ctx, incident_id),
        acked,
        `${incidentUri(incident_id)} does not show the acknowledgement`,
      );
      const resolution = resolutionText(ctx.random);
      const resolved = await incidentTool(ctx, "resolve_incident", { incident_id, resolution });
      const wantResolved: Incident = { ...incident, state: "resolved", resolution };
      ctx.expect.equal(
        resolved,
        wantResolved,
        `resolve_incident("${incident_id}") returned the wrong incident: ${mismatch(wantResolved, resolved)}`,
        { hint: "Set state to resolved and store the resolution text as sent." },
      );
      ctx.expect.equal(
        await readIncident(ctx, incident_id),
        resolved,
        `${incidentUri(incident_id)} does not show the resolution`,
      );
      const status = await serviceStatus(ctx, incident.service);
      ctx.expect.ok(
        !status.open_incidents.includes(incident_id),
        `get_service_status still lists ${incident_id} after it was resolved`,
        { actual: status },
      );
      await ctx.expect.toolRejects(() => ctx.callTool("acknowledge_incident", { incident_id }), {
        message: `acknowledge_incident accepted ${incident_id}, which is already resolved`,
        hint: "A resolved incident cannot be acknowledged: answer isError: true and say it is resolved.",
      });
      const missing = unknownIncidentId(ctx.random, incident_id);
      await ctx.expect.toolRejects(() => ctx.callTool("acknowledge_incident", { incident_id: missing }), {
        message: `acknowledge_incident accepted the unknown id ${missing}`,
      });
      await ctx.expect.toolRejects(
        () => ctx.callTool("resolve_incident", { incident_id: missing, resolution }),
        {
          message: `resolve_incident accepted the unknown id ${missing}`,
        },
      );
      return `${incident_id}: open → acknowledged → resolved; bad transitions and ids refused`;
    },
  },
  {
    id: "delete-incident",
    title: "delete_incident removes the incident everywhere",
    severity: "must",
    lesson: "m1/anti-patterns",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["create-incident", "incident-resource-template"],
    async run(ctx: CheckContext) {
      const incident = await createIncident(ctx, incidentInput(ctx.random));
      const incident_id = incident.id;
      ctx.expect.notError(
        await ctx.callTool("delete_incident", { incident_id }),
        `delete_incident("${incident_id}") failed`,
      );
      await ctx.expect.rpcError(() => ctx.readResource(incidentUri(incident_id)), {
        message: `${incidentUri(incident_id)} still answers with content after the incident was deleted`,
        hint: "Remove the incident from the store itself; reading a deleted incident is a JSON-RPC error.",
      });
      const status = await serviceStatus(ctx, incident.service);
      ctx.expect.ok(
        !status.open_incidents.includes(incident_id),
        `get_service_status still lists ${incident_id} after it was deleted`,
        { actual: status },
      );
      await ctx.expect.toolRejects(() => ctx.callTool("delete_incident", { incident_id }), {
        message: `Deleting ${incident_id} a second time succeeded; an unknown id should be a tool error`,
        hint: "Return isError: true saying the incident does not exist.",
      });
      return `${incident_id} is gone from ops://incidents and the status; a second delete is refused`;
    },
  },
  {
    id: "postmortem-prompt",
    title: "postmortem(incident_id) is a prompt that renders the postmortem template",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/prompts#getting-a-prompt",
    requires: ["create-incident"],
    async run(ctx: CheckContext) {
      requireCapability(ctx, "prompts", "postmortem prompt");
      const prompts = await ctx.allPrompts();
      const prompt = prompts.find((p) => p.name === "postmortem");
      ctx.expect.ok(prompt, "prompts/list does not offer postmortem", {
        actual: prompts.map((p) => p.name),
        hint: "Drafting a postmortem is something a user starts on purpose: a prompt. Python: @mcp.prompt() def postmortem(incident_id: str); TypeScript: registerPrompt with argsSchema { incident_id }.",
      });
      const args = prompt.arguments ?? [];
      ctx.expect.ok(
        args.some((a) => a.name === "incident_id" && a.required === true),
        "postmortem does not declare a required `incident_id` argument",
        { actual: args.length ? args : "(no arguments)" },
      );
      const extra = args.filter((a) => a.required === true && a.name !== "incident_id").map((a) => a.name);
      ctx.expect.ok(
        extra.length === 0,
        `postmortem requires arguments the contract does not have: ${extra.join(", ")}`,
        {
          actual: args,
          hint: "incident_id is the only required argument; make any other one optional.",
        },
      );
      const incident = await createIncident(ctx, incidentInput(ctx.random));
      const got = await ctx.getPrompt("postmortem", { incident_id: incident.id });
      ctx.expect.ok(got.messages.length > 0, "postmortem returned no messages", { actual: got });
      const text = got.messages
        .map((m) => (m.content.type === "text" ? m.content.text : JSON.stringify(m.content)))
        .join("\n");
      ctx.expect.includes(
        normalise(text),
        normalise(renderPostmortem(incident)),
        `The postmortem prompt for ${incident.id} does not contain the template do_everything's postmortem action rendered`,
        {
          actual: text,
          hint: "Put the starter's rendered template, unchanged, in the prompt's message (you may add instructions around it).",
        },
      );
      return `rendered the template for ${incident.id} in ${got.messages.length} message(s)`;
    },
  },
  {
    id: "read-only-tools-change-nothing",
    title: "Tools marked readOnlyHint change nothing, and get_service_status is one of them",
    severity: "must",
    lesson: "m1/anti-patterns",
    specRef: "2025-11-25/schema#toolannotations",
    requires: ["create-incident", "incident-resource-template"],
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const status = tools.find((t) => t.name === "get_service_status");
      ctx.expect.ok(
        status?.annotations?.readOnlyHint === true,
        "get_service_status does not say readOnlyHint: true",
        {
          expected: "annotations.readOnlyHint: true",
          actual: status?.annotations ?? "(no annotations)",
          hint: "Python: @mcp.tool(annotations=ToolAnnotations(read_only_hint=True)); TypeScript: annotations: { readOnlyHint: true }. A host can then call it without asking the user.",
        },
      );
      const claiming = WRITERS.filter(
        (n) => tools.find((t) => t.name === n)?.annotations?.readOnlyHint === true,
      );
      ctx.expect.ok(
        claiming.length === 0,
        `Marked readOnlyHint: true but they change incidents: ${claiming.join(", ")}`,
        { hint: "Only tools that change nothing may say readOnlyHint: true." },
      );
      // One fresh incident per read-only tool, read once afterwards: a resource that wrote on read
      // could not make another tool look guilty.
      const readOnly = tools.filter((t) => t.annotations?.readOnlyHint === true);
      for (const tool of readOnly) {
        const before = await createIncident(ctx, incidentInput(ctx.random));
        const args = argumentsFor(tool, { service: before.service, incidentId: before.id });
        const result = await ctx.callTool(tool.name, args).catch((err: unknown) => {
          if (isMcpRequestError(err) && err.kind === "rpc-error") return undefined;
          throw err;
        });
        if (tool.name === "get_service_status") {
          ctx.expect.ok(result && result.isError !== true, `get_service_status("${before.service}") failed`, {
            actual: result,
          });
        }
        const after = await readIncident(ctx, before.id);
        const changed = diffIncident(before, after);
        ctx.expect.ok(
          changed === "",
          `${tool.name} is marked readOnlyHint: true, but calling it changed ${before.id}: ${changed}`,
          {
            sent: { name: tool.name, arguments: args },
            expected: before,
            actual: after,
            hint: "A read must not write. Looking at a status is not taking the incident: acknowledging is the job of acknowledge_incident, which the model calls (and the user approves) on purpose.",
          },
        );
      }
      return `${readOnly.map((t) => t.name).join(", ")} called; nothing changed`;
    },
  },
  {
    id: "resources-change-nothing",
    title: "Reading resources changes nothing",
    severity: "must",
    lesson: "m1/tools-resources-prompts",
    specRef: "2025-11-25/server/resources#user-interaction-model",
    requires: ["create-incident", "incident-resource-template"],
    async run(ctx: CheckContext) {
      const incident = await createIncident(ctx, incidentInput(ctx.random));
      const uris = [
        incidentUri(incident.id),
        ...(await ctx.allResources()).map((r) => r.uri),
        `ops://services/${incident.service}/runbook`,
      ];
      let before = incident;
      for (const uri of uris) {
        await ctx.readResource(uri).catch((err: unknown) => {
          if (!isMcpRequestError(err) || err.kind !== "rpc-error") throw err;
        });
        const after = await readIncident(ctx, incident.id);
        const changed = diffIncident(before, after);
        ctx.expect.ok(changed === "", `Reading ${uri} changed ${incident.id}: ${changed}`, {
          sent: { method: "resources/read", params: { uri } },
          expected: before,
          actual: after,
          hint: "Hosts read resources without asking anyone (to build context, or again on every update), so a read must never write. Acknowledging is acknowledge_incident's job.",
        });
        before = after;
      }
      return `read ${uris.length} resources; ${incident.id} unchanged`;
    },
  },
  {
    id: "idempotent-hints-honest",
    title: "idempotentHint matches what calling a tool twice does",
    severity: "must",
    lesson: "m1/anti-patterns",
    specRef: "2025-11-25/schema#toolannotations",
    requires: ["create-incident", "incident-resource-template"],
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const hint = (name: string) => tools.find((t) => t.name === name)?.annotations?.idempotentHint;
      const problems: string[] = [];
      for (const name of ["acknowledge_incident", "resolve_incident"]) {
        if (hint(name) !== true) problems.push(`${name} does not say idempotentHint: true`);
      }
      if (hint("create_incident") === true) {
        problems.push("create_incident says idempotentHint: true, but every call opens another incident");
      }
      ctx.expect.ok(problems.length === 0, problems.join("; "), {
        actual: tools
          .filter((t) => ["create_incident", "acknowledge_incident", "resolve_incident"].includes(t.name))
          .map((t) => ({ name: t.name, annotations: t.annotations ?? "(none)" })),
        hint: "Python: ToolAnnotations(idempotent_hint=True); TypeScript: annotations: { idempotentHint: true }. Idempotent means a retry with the same arguments changes nothing more, so a host may retry it safely.",
      });
      const input = incidentInput(ctx.random);
      const first = await createIncident(ctx, input);
      const second = await createIncident(ctx, input);
      ctx.expect.ok(
        first.id !== second.id,
        `create_incident called twice with the same arguments returned ${first.id} both times`,
        { hint: "Each create_incident call opens a new incident (that is why it is not idempotent)." },
      );
      const incident_id = first.id;
      for (const [tool, args] of [
        ["acknowledge_incident", { incident_id }],
        ["resolve_incident", { incident_id, resolution: resolutionText(ctx.random) }],
      ] as const) {
        await incidentTool(ctx, tool, args);
        const once = await readIncident(ctx, incident_id);
        const again = await ctx.callTool(tool, args);
        ctx.expect.notError(
          again,
          `${tool} failed when called a second time with the same arguments; an idempotent tool succeeds and changes nothing`,
          { sent: { name: tool, arguments: args } },
        );
        const twice = await readIncident(ctx, incident_id);
        const changed = diffIncident(once, twice);
        ctx.expect.ok(changed === "", `Calling ${tool} a second time changed ${incident_id}: ${changed}`, {
          expected: once,
          actual: twice,
        });
      }
      return `acknowledge_incident and resolve_incident: a second call changes nothing; create_incident opened ${first.id} and ${second.id}`;
    },
  },
  {
    id: "destructive-hint-on-delete",
    title: "delete_incident is annotated as destructive",
    severity: "must",
    lesson: "m1/anti-patterns",
    specRef: "2025-11-25/schema#toolannotations",
    async run(ctx: CheckContext) {
      const tool = await toolNamed(ctx, "delete_incident");
      ctx.expect.ok(
        tool.annotations?.destructiveHint === true,
        "delete_incident does not say it is destructive",
        {
          expected: "annotations.destructiveHint: true (and readOnlyHint not true)",
          actual: tool.annotations ?? "(no annotations)",
          hint: "Python: annotations=ToolAnnotations(destructive_hint=True); TypeScript: annotations: { destructiveHint: true }. Say it even though it is the default: a host shows the warning only when it knows.",
        },
      );
      ctx.expect.ok(tool.annotations?.readOnlyHint !== true, "delete_incident is marked readOnlyHint: true", {
        actual: tool.annotations,
      });
      return "destructiveHint: true";
    },
  },
  {
    id: "create-incident-not-destructive",
    title: "create_incident says it only adds (destructiveHint: false)",
    severity: "should",
    lesson: "m1/thin-layer-or-facade",
    specRef: "2025-11-25/schema#toolannotations",
    async run(ctx: CheckContext) {
      const tool = await toolNamed(ctx, "create_incident");
      ctx.expect.ok(
        tool.annotations?.destructiveHint === false,
        "create_incident does not say destructiveHint: false",
        {
          expected: "annotations.destructiveHint: false (readOnlyHint false)",
          actual: tool.annotations ?? "(no annotations: destructiveHint defaults to true)",
          hint: "Opening an incident adds a record and overwrites nothing. Without destructiveHint: false a host must assume the default (true) and warn as if it deleted data.",
        },
      );
      return "destructiveHint: false";
    },
  },
  descriptionsSayWhen({
    tools: Object.keys(TOOLS),
    hint: "Models pick tools by their descriptions: say what it does, when to use it, and what it changes.",
  }),
];

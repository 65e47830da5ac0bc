// The calls the checks make through the new surface, each parsing what comes back against the
// contract in README.md and failing with what a learner needs when it does not match.
import type { CallToolResult, ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CheckContext } from "../../conformance/check-api.ts";
import { textOf } from "../../conformance/check-api.ts";
import { type Incident, SEVERITIES } from "./catalogue.ts";
import type { IncidentInput } from "./generate.ts";
import { parseJson, resultObject } from "./inspect.ts";

export const IncidentSchema = z.object({
  id: z.string().min(1),
  service: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(["open", "acknowledged", "resolved"]),
  // A missing resolution reads as null: both say "not resolved".
  resolution: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
});

export const StatusSchema = z.object({
  service: z.string(),
  status: z.enum(["operational", "degraded", "outage"]),
  open_incidents: z.array(z.string()),
});
export type ServiceStatus = z.infer<typeof StatusSchema>;

/** The six contract fields of an incident, whatever else the server adds. */
export function incidentOf(value: z.infer<typeof IncidentSchema>): Incident {
  const { id, service, title, severity, state, resolution } = value;
  return { id, service, title, severity, state, resolution };
}

/** A tool call that must succeed and return an incident object. */
export async function incidentTool(
  ctx: CheckContext,
  tool: string,
  args: Record<string, unknown>,
): Promise<Incident> {
  const result = await ctx.callTool(tool, args);
  return incidentFrom(ctx, result, tool);
}

function incidentFrom(ctx: CheckContext, result: CallToolResult, tool: string): Incident {
  ctx.expect.notError(result, `${tool} failed: ${textOf(result) || "(isError: true, no text)"}`);
  return incidentOf(
    ctx.expect.matches(
      resultObject(result),
      IncidentSchema,
      `${tool} did not return the incident (id, service, title, severity, state, resolution)`,
      {
        actual: result,
        hint: "Return the incident object as structuredContent (Python: a pydantic model or dict return type; TypeScript: structuredContent), or as JSON in the text block.",
      },
    ),
  );
}

export function createIncident(ctx: CheckContext, input: IncidentInput): Promise<Incident> {
  return incidentTool(ctx, "create_incident", input);
}

export async function serviceStatus(ctx: CheckContext, service: string): Promise<ServiceStatus> {
  const result = await ctx.callTool("get_service_status", { service });
  ctx.expect.notError(result, `get_service_status("${service}") failed: ${textOf(result)}`);
  return ctx.expect.matches(
    resultObject(result),
    StatusSchema,
    "get_service_status did not return { service, status, open_incidents }",
    { actual: result },
  );
}

/** The first text content of a resource read, or a failure saying what came back instead. */
export function textContent(
  ctx: CheckContext,
  read: ReadResourceResult,
  uri: string,
): { mimeType?: string; text: string } {
  const first = read.contents[0];
  if (!first || !("text" in first) || typeof first.text !== "string") {
    return ctx.expect.fail(`${uri} returned no text content`, { expected: "contents[0].text", actual: read });
  }
  return { mimeType: first.mimeType, text: first.text };
}

export function incidentUri(id: string): string {
  return `ops://incidents/${encodeURIComponent(id)}`;
}

/** ops://incidents/{id}, parsed, with the mimeType it was served as (one read: a read may not write). */
export async function readIncidentContent(
  ctx: CheckContext,
  id: string,
): Promise<{ incident: Incident; mimeType?: string }> {
  const uri = incidentUri(id);
  const content = textContent(ctx, await ctx.readResource(uri), uri);
  const incident = incidentOf(
    ctx.expect.matches(parseJson(content.text), IncidentSchema, `${uri} is not the incident as JSON`, {
      actual: content.text,
    }),
  );
  return { incident, mimeType: content.mimeType };
}

export async function readIncident(ctx: CheckContext, id: string): Promise<Incident> {
  return (await readIncidentContent(ctx, id)).incident;
}

/** "state open → acknowledged; resolution null → ..." for the fields that differ. */
export function diffIncident(before: Incident, after: Incident): string {
  const keys = Object.keys(before) as Array<keyof Incident>;
  return keys
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k} ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`)
    .join("; ");
}

/** `resolution is null, expected "..."` for each field where `actual` is not what was expected. */
export function mismatch(expected: Incident, actual: Incident): string {
  const keys = Object.keys(expected) as Array<keyof Incident>;
  return keys
    .filter((k) => expected[k] !== actual[k])
    .map((k) => `${k} is ${JSON.stringify(actual[k])}, expected ${JSON.stringify(expected[k])}`)
    .join("; ");
}

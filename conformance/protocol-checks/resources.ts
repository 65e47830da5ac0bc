// Resources: listing, reading what is listed, templates, unknown URIs. Spec: 2025-11-25/server/resources.
import type { CheckContext, CheckDefinition, ServerView } from "../check-api.ts";
import { isMcpRequestError } from "../check-expect.ts";

const hasResources = (server: ServerView) =>
  server.capabilities?.resources !== undefined || "the server declares no resources capability";
const MAX_READS = 10;

export const resourcesList: CheckDefinition = {
  id: "resources-list",
  title: "resources/list lists resources with a uri and a name",
  severity: "must",
  specRef: "2025-11-25/server/resources#listing-resources",
  lesson: "m3/resource-uri-design",
  requires: ["pagination-terminates"],
  appliesTo: hasResources,
  async run(ctx: CheckContext) {
    const resources = await ctx.allResources();
    const badUris = resources.filter((r) => !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(r.uri)).map((r) => r.uri);
    ctx.expect.ok(badUris.length === 0, `Resource URIs without a scheme: ${badUris.join(", ")}.`, {
      expected: "absolute URIs such as notes://index or file:///path (RFC 3986)",
      hint: "Give every resource an absolute URI with a scheme.",
    });
    return `${resources.length} resource${resources.length === 1 ? "" : "s"}`;
  },
};

export const resourcesReadListed: CheckDefinition = {
  id: "resources-read-listed",
  title: "every listed resource can be read",
  severity: "must",
  specRef: "2025-11-25/server/resources#reading-resources",
  lesson: "m3/resource-uri-design",
  requires: ["resources-list"],
  appliesTo: hasResources,
  timeoutMs: 15_000,
  hint: "A resource you list must be readable: resources/read returns contents with the uri and text (or blob).",
  async run(ctx: CheckContext) {
    const resources = (await ctx.allResources()).slice(0, MAX_READS);
    if (resources.length === 0) return "nothing listed, nothing to read";
    for (const r of resources) {
      const read = await ctx.readResource(r.uri);
      ctx.expect.ok(read.contents.length > 0, `Reading ${r.uri} returned no contents.`, {
        expected: "contents: [{ uri, text | blob }]",
        actual: read,
      });
    }
    return `read ${resources.length} resource${resources.length === 1 ? "" : "s"}`;
  },
};

export const resourceTemplatesList: CheckDefinition = {
  id: "resource-templates-list",
  title: "resources/templates/list answers",
  severity: "should",
  specRef: "2025-11-25/server/resources#resource-templates",
  lesson: "m3/resource-uri-design",
  requires: ["capabilities-match"],
  appliesTo: hasResources,
  hint: "Serve resources/templates/list (an empty list is fine) whenever you declare resources; the SDKs do.",
  async run(ctx: CheckContext) {
    const templates = await ctx.allResourceTemplates();
    const noVars = templates.filter((t) => !/\{[^}]+\}/.test(t.uriTemplate)).map((t) => t.uriTemplate);
    ctx.expect.ok(noVars.length === 0, `Resource templates without any {variable}: ${noVars.join(", ")}.`, {
      hint: "A URI without variables is a plain resource: list it in resources/list instead.",
    });
    return `${templates.length} template${templates.length === 1 ? "" : "s"}`;
  },
};

export const resourcesReadUnknown: CheckDefinition = {
  id: "resources-read-unknown",
  title: "reading a resource that does not exist is a JSON-RPC error",
  severity: "should",
  specRef: "2025-11-25/server/resources#error-handling",
  lesson: "m3/resource-uri-design",
  requires: ["capabilities-match"],
  appliesTo: hasResources,
  hint: 'Answer an unknown URI with a JSON-RPC error (-32002 "Resource not found"; the SDKs send -32602), not with empty contents.',
  async run(ctx: CheckContext) {
    const listed = await ctx.allResources().catch(() => []);
    const scheme = listed[0]?.uri.match(/^([A-Za-z][A-Za-z0-9+.-]*):/)?.[1] ?? "mcp-lab";
    const uri = `${scheme}://no-such-resource-${ctx.random.word()}`;
    try {
      const read = await ctx.readResource(uri);
      return ctx.expect.fail(`Reading the unknown URI ${uri} succeeded.`, {
        expected: "a JSON-RPC error (-32002 Resource not found)",
        actual: read,
      });
    } catch (err) {
      if (isMcpRequestError(err) && err.kind === "rpc-error")
        return `refused with JSON-RPC error ${err.code}`;
      throw err;
    }
  },
};

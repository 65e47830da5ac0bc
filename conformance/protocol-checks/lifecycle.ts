// Lifecycle: initialize, version negotiation, serverInfo, ping, stdio shutdown.
// Spec: 2025-11-25/basic/lifecycle, 2025-11-25/basic/utilities/ping.
import type { CheckContext, CheckDefinition } from "../check-api.ts";
import { FUTURE_PROTOCOL_VERSION, KNOWN_PROTOCOL_VERSIONS, REQUESTED_PROTOCOL_VERSION } from "./versions.ts";

/**
 * The harness connects before any check runs; when initialize goes wrong it reports this check
 * as failed itself (and skips the rest). When it runs, the handshake worked: it re-reads the answer.
 */
export const initializeHandshake: CheckDefinition = {
  id: "initialize-handshake",
  title: "initialize is answered with protocolVersion, capabilities and serverInfo",
  severity: "must",
  specRef: "2025-11-25/basic/lifecycle#initialization",
  lesson: "m2/getting-started",
  hint: "Let the SDK answer initialize (MCPServer / McpServer do); never print before it.",
  run(ctx: CheckContext) {
    const v = ctx.server.protocolVersion;
    ctx.expect.ok(typeof v === "string", "The answer to initialize has no protocolVersion.");
    ctx.expect.ok(ctx.server.capabilities, "The answer to initialize has no capabilities object.");
    return `answered with protocol version ${v}`;
  },
};

/**
 * The grader's SDK Client disconnects when the answer's version is one it does not speak (any
 * version outside its supported list, a subset of KNOWN_PROTOCOL_VERSIONS); the harness then
 * reports this check as failed itself (connect.ts "unsupported-version") and skips the rest. When
 * it runs, the client accepted the version: it re-checks it against the released revisions.
 */
export const initializeVersion: CheckDefinition = {
  id: "initialize-version-negotiation",
  title: "initialize answers with the requested version, or another released one",
  severity: "must",
  specRef: "2025-11-25/basic/lifecycle#version-negotiation",
  lesson: "m2/getting-started",
  requires: ["initialize-handshake"],
  hint: "Answer with the client's version when you support it, otherwise the latest version you support (the SDKs negotiate for you).",
  run(ctx: CheckContext) {
    const v = ctx.server.protocolVersion;
    ctx.expect.ok(
      typeof v === "string" && KNOWN_PROTOCOL_VERSIONS.includes(v),
      `The server answered initialize with protocolVersion ${JSON.stringify(v)}, which is not a released MCP revision.`,
      {
        expected: `"${REQUESTED_PROTOCOL_VERSION}" (what we asked for) or another released version: ${KNOWN_PROTOCOL_VERSIONS.join(", ")}`,
        actual: v,
      },
    );
    return v === REQUESTED_PROTOCOL_VERSION
      ? `asked for ${REQUESTED_PROTOCOL_VERSION}, got it`
      : `asked for ${REQUESTED_PROTOCOL_VERSION}, got ${v} (allowed when the server does not support ${REQUESTED_PROTOCOL_VERSION})`;
  },
};

export const initializeUnknownVersion: CheckDefinition = {
  id: "initialize-unknown-version",
  title: "initialize with an unknown future version gets a supported version back",
  severity: "must",
  specRef: "2025-11-25/basic/lifecycle#version-negotiation",
  lesson: "m2/getting-started",
  requires: ["initialize-handshake"],
  timeoutMs: 15_000,
  usesRawConnection: true,
  hint: "When the client asks for a version you do not support, answer with the latest one you do (SDKs do this for you).",
  async run(ctx: CheckContext) {
    const conn = await ctx.openRawConnection();
    const params = {
      protocolVersion: FUTURE_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: "mcp-lab-grader-probe", version: "1.0.0" },
    };
    const sent = { method: "initialize", params };
    const answer = await conn.request("initialize", params);
    if (!("result" in answer)) {
      return ctx.expect.fail(
        `Asked for protocol version ${FUTURE_PROTOCOL_VERSION}, the server answered with an error instead of offering its own version.`,
        {
          sent,
          expected: "a result whose protocolVersion is a version the server supports",
          actual: answer,
        },
      );
    }
    const got = answer.result.protocolVersion;
    ctx.expect.ok(
      typeof got === "string" && KNOWN_PROTOCOL_VERSIONS.includes(got),
      `Asked for protocol version ${FUTURE_PROTOCOL_VERSION}, the server answered ${JSON.stringify(got)}.`,
      {
        sent,
        expected: `one of ${KNOWN_PROTOCOL_VERSIONS.join(", ")} (not an echo of the unknown version)`,
        actual: answer.result,
      },
    );
    return `asked for ${FUTURE_PROTOCOL_VERSION}, got ${got}`;
  },
};

export const serverInfo: CheckDefinition = {
  id: "server-info",
  title: "serverInfo names the server and its version",
  severity: "must",
  specRef: "2025-11-25/basic/lifecycle#initialization",
  lesson: "m2/getting-started",
  requires: ["initialize-handshake"],
  hint: 'Give the server a name (and a version) when you create it, e.g. MCPServer("notes") / new McpServer({ name, version }).',
  run(ctx: CheckContext) {
    const info = ctx.server.info;
    if (!info || typeof info.name !== "string" || info.name.trim() === "") {
      return ctx.expect.fail("serverInfo.name is missing or empty.", { actual: info });
    }
    ctx.expect.ok(typeof info.version === "string", "serverInfo.version is missing.", { actual: info });
    // The schema only asks for a string; Python's MCPServer sends "" unless given a version.
    return info.version.trim() === ""
      ? `${info.name} (version is empty: consider setting one)`
      : `${info.name} ${info.version}`;
  },
};

export const ping: CheckDefinition = {
  id: "ping",
  title: "ping is answered with an empty result",
  severity: "must",
  specRef: "2025-11-25/basic/utilities/ping#behavior-requirements",
  lesson: "m2/getting-started",
  requires: ["initialize-handshake"],
  async run(ctx: CheckContext) {
    const started = performance.now();
    await ctx.ping();
    return `answered in ${Math.round(performance.now() - started)} ms`;
  },
};

const SHUTDOWN_BOUND_MS = 2000;

export const stdioShutdown: CheckDefinition = {
  id: "stdio-clean-shutdown",
  title: "the server exits when its stdin is closed",
  severity: "should",
  specRef: "2025-11-25/basic/lifecycle#shutdown",
  lesson: "m4/stdio-vs-streamable-http",
  stage: "final",
  timeoutMs: SHUTDOWN_BOUND_MS + 2000,
  appliesTo: (server) =>
    server.transport === "stdio" || "shutdown over HTTP is closing the connection; nothing to observe",
  hint: "Let the SDK's stdio loop end on EOF; do not keep the process alive with a background thread or timer.",
  async run(ctx: CheckContext) {
    if (!ctx.closeStdinAndWait) return "not applicable";
    const exit = await ctx.closeStdinAndWait(SHUTDOWN_BOUND_MS);
    if (!exit) {
      return ctx.expect.fail(
        `The server was still running ${SHUTDOWN_BOUND_MS / 1000} s after its stdin was closed.`,
        {
          expected: "the process exits on its own once stdin is closed",
          actual: "still running; the grader had to kill it",
        },
      );
    }
    return `exited ${exit.signal ? `on ${exit.signal}` : `with code ${exit.code}`}`;
  },
};

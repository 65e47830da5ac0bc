// What grades the streamable-http lab, as a list. The lab-independent HTTP checks (Origin, Accept,
// MCP-Protocol-Version, DELETE, notifications) come from the engine, named in lab.yaml; the two
// session checks are raised to `must` here, because this lab is about sessions. Each of the lab's
// own checks runs a function from the module named after it.
import type { CheckDefinition } from "../../conformance/check-api.ts";
import { httpSessionIdIssued, httpSessionRequired } from "../../conformance/http-checks/session.ts";
import { cancellationStopsWork } from "./cancellation.ts";
import { concurrentSessionsIsolated } from "./concurrency.ts";
import { contractListed } from "./contract.ts";
import { idempotencyReplays } from "./idempotency.ts";
import { statelessDiscover } from "./modern.ts";
import { progressNotifications } from "./progress.ts";

const LESSON_SESSIONS = "m4/stdio-vs-streamable-http";
const LESSON_STREAMS = "m4/sse-stream-lifecycle";

export const checks: CheckDefinition[] = [
  {
    ...httpSessionIdIssued,
    severity: "must",
    lesson: LESSON_SESSIONS,
    hint: 'Issue a session id on initialize. Python: mcp.run(transport="streamable-http") does (leave stateless_http off). TypeScript: new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() }).',
  },
  { ...httpSessionRequired, severity: "must", lesson: LESSON_SESSIONS },
  {
    id: "tools-listed",
    title: "the service offers greet, send_greeting, outbox, slow_count and jobs://{job}",
    severity: "must",
    lesson: LESSON_SESSIONS,
    specRef: "2025-11-25/server/tools#listing-tools",
    run: contractListed,
  },
  {
    id: "idempotency-key-replays",
    title: "send_greeting retried with the same idempotency_key sends nothing new",
    severity: "must",
    lesson: "m4/idempotency-correlation",
    specRef: "2025-11-25/server/tools#calling-tools",
    // The keys, like the outbox, belong to a session.
    requires: ["tools-listed", "http-session-id-issued"],
    run: idempotencyReplays,
  },
  {
    id: "progress-notifications",
    title: "slow_count sends increasing notifications/progress when the call carries a progressToken",
    severity: "must",
    lesson: LESSON_STREAMS,
    specRef: "2025-11-25/basic/utilities/progress",
    requires: ["tools-listed"],
    run: progressNotifications,
  },
  {
    id: "cancellation-stops-work",
    title: "notifications/cancelled stops slow_count: its tick count stops growing",
    severity: "must",
    lesson: LESSON_STREAMS,
    specRef: "2025-11-25/basic/utilities/cancellation",
    // Over 2025-11-25 HTTP the cancellation reaches the call through its session.
    requires: ["tools-listed", "http-session-id-issued"],
    timeoutMs: 9000,
    run: cancellationStopsWork,
  },
  {
    id: "concurrent-sessions-isolated",
    title: "20 concurrent calls from 4 sessions are answered correctly, each session sees only its own data",
    severity: "must",
    lesson: "m4/streamable-http-asgi",
    specRef: "2025-11-25/basic/transports#session-management",
    requires: ["tools-listed", "http-session-id-issued"],
    usesRawConnection: true,
    timeoutMs: 10_000,
    run: concurrentSessionsIsolated,
  },
  {
    id: "stateless-discover",
    title: "2026-07-28 stateless requests: server/discover and a tools/call without a session",
    severity: "should",
    lesson: LESSON_SESSIONS,
    specRef: "2026-07-28/server/discover",
    requires: ["tools-listed"],
    // Only where the learner's pinned SDK has the 2026-07-28 stateless mode: mcp 2.3.0 does.
    appliesTo: (s) =>
      s.transport !== "http"
        ? "only for Streamable HTTP servers"
        : s.lang === "typescript"
          ? "the pinned TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) speaks up to 2025-11-25; its stateless 2026-07-28 mode is in the v2 packages"
          : true,
    run: statelessDiscover,
  },
];

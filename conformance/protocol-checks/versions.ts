// Protocol revisions the grader knows. The grader's client asks for LATEST (2025-11-25).
export const REQUESTED_PROTOCOL_VERSION = "2025-11-25";
/** Released revisions a server may answer with (2026-07-28 included: newer SDKs speak it). */
export const KNOWN_PROTOCOL_VERSIONS = [
  "2026-07-28",
  "2025-11-25",
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
  "2024-10-07",
];
/** A version no server can support, to probe negotiation. */
export const FUTURE_PROTOCOL_VERSION = "2099-01-01";

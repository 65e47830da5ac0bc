// Structured logs (pino, JSON on stdout). Every request and every grading run logs through a child
// logger that carries its correlation id (requestId / submissionId).
import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "mcp-lab" },
  redact: {
    paths: ["password", "*.password", "passwordHash", "*.passwordHash", "authorization", "*.authorization"],
    remove: true,
  },
});

export function requestLogger(requestId: string) {
  return log.child({ requestId });
}

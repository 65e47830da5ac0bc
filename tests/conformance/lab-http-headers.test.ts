// LabEnvironment.httpHeaders through the real grader and sandbox: a server that refuses every HTTP
// request without the run's bearer secret is graded normally (main session, raw connections),
// while ctx.http.fetch sends only the headers a check sets.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gradeSubmission } from "../../conformance/grade.ts";

const LABS_ROOT = path.resolve(import.meta.dirname, "../fixtures/labs");

describe("lab environment httpHeaders", () => {
  it("go on the grader's MCP client connections, not on raw fetches", async () => {
    const result = await gradeSubmission({
      labId: "header-probe",
      dir: path.join(LABS_ROOT, "header-probe/server"),
      lang: "python",
      seed: 7,
      labsRoot: LABS_ROOT,
    });
    const status = Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
    expect(result.status, JSON.stringify(result.checks, null, 1)).toBe("pass");
    expect(status).toEqual({
      "initialize-handshake": "pass",
      "initialize-unknown-version": "pass",
      "client-headers-sent": "pass",
    });
    const probe = result.checks.find((c) => c.id === "client-headers-sent");
    expect(probe?.message).toBe("session ok, raw ok, bare fetch 401, own header 200");
  });
});

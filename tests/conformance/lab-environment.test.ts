// A lab's grader-side environment (conformance/lab-environment.ts) through the real grader and
// sandbox: the server reaches the per-run upstream, reads the planted file, and the next run sees
// none of the first run's secret, requests or socket.
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gradeSubmission } from "../../conformance/grade.ts";

const LABS_ROOT = path.resolve(import.meta.dirname, "../fixtures/labs");
const SERVER_DIR = path.join(LABS_ROOT, "env-probe/server");

async function gradeProbe(seed: number) {
  const result = await gradeSubmission({
    labId: "env-probe",
    dir: SERVER_DIR,
    lang: "python",
    seed,
    labsRoot: LABS_ROOT,
  });
  const check = result.checks.find((c) => c.id === "upstream-and-planted-file");
  return { result, message: check?.message ?? "" };
}

describe("lab environment", () => {
  it("gives each run its own upstream, env and planted file, and removes them afterwards", async () => {
    const first = await gradeProbe(1);
    expect(first.result.status, JSON.stringify(first.result.checks)).toBe("pass");
    const [, secret1, socket1] = /^secret (\w+) via (\S+)$/.exec(first.message) ?? [];
    expect(secret1).toMatch(/^[0-9a-f]{16}$/);
    expect(existsSync(socket1)).toBe(false);

    const second = await gradeProbe(2);
    expect(second.result.status).toBe("pass");
    const [, secret2, socket2] = /^secret (\w+) via (\S+)$/.exec(second.message) ?? [];
    expect(secret2).not.toBe(secret1);
    expect(socket2).not.toBe(socket1);
    expect(existsSync(socket2)).toBe(false);
  });
});

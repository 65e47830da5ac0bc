// appliesTo sees the submission's language: a check for a feature only one pinned SDK has is left
// out of the other language's result (with the reason logged), not failed.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppliesToInput, CheckDefinition } from "../../conformance/check-api.ts";
import type { GradeEvent } from "../../conformance/events.ts";
import { gradeDirectory } from "../../conformance/grade.ts";
import { defaultLimits } from "../../sandbox/index.ts";
import { FIXTURES_ROOT } from "./fixture-grader.ts";
import { sandboxMode } from "./sandbox-mode.ts";

let isolation: "bwrap" | "unsafe-local" = "bwrap";
beforeAll(async () => {
  isolation = await sandboxMode();
});

const seen: AppliesToInput["lang"][] = [];
const pythonOnly: CheckDefinition = {
  id: "python-only",
  title: "a check for something only the Python SDK offers",
  severity: "should",
  lesson: "m2/getting-started",
  appliesTo: (s) => {
    seen.push(s.lang);
    return s.lang === "python" || "the pinned TypeScript SDK lacks it";
  },
  run: () => "ran",
};

async function grade(lang: "python" | "typescript") {
  const logs: string[] = [];
  const { result } = await gradeDirectory({
    sourceDir: path.join(FIXTURES_ROOT, `good-${lang}`),
    lang,
    entry: lang === "python" ? "server.py" : "server.ts",
    transport: "stdio",
    checks: [pythonOnly],
    limits: defaultLimits,
    lab: "test-lab",
    seed: 1,
    isolation,
    onEvent: (e: GradeEvent) => {
      if (e.type === "log") logs.push(e.message);
    },
  });
  return { result, logs };
}

describe("appliesTo and the submission's language", () => {
  it("runs the check for Python and leaves it out for TypeScript, saying why", async () => {
    const python = await grade("python");
    expect(python.result.checks.find((c) => c.id === "python-only")?.status).toBe("pass");
    const typescript = await grade("typescript");
    expect(typescript.result.checks.map((c) => c.id)).not.toContain("python-only");
    expect(typescript.logs.join("\n")).toMatch(
      /not applicable \(the pinned TypeScript SDK lacks it\): python-only/,
    );
    expect(seen).toEqual(["python", "typescript"]);
  });
});

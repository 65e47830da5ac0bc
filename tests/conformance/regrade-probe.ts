// Run by tests/conformance/lab-modules.test.ts in a process of its own, under a real runtime (tsx as
// `npm run worker` runs, or tsx's tsImport as the Next app's native engine loads the engine): grades
// hello-server's solution from a copy of the lab, edits a module that checks.ts imports, grades again,
// edits checks.ts itself, grades a third time, all in this one process. Prints one JSON line.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gradeSubmission } from "../../conformance/grade.ts";

const [labsRoot, isolation] = process.argv.slice(2);
const labDir = path.join(labsRoot, "hello-server");

async function grade() {
  const result = await gradeSubmission({
    labId: "hello-server",
    dir: path.join(labDir, "solution", "python"),
    lang: "python",
    labsRoot,
    seed: 4242,
    isolation: isolation === "unsafe-local" ? "unsafe-local" : "bwrap",
  });
  return {
    verdict: result.verdict,
    checksHash: result.checksHash,
    checks: Object.fromEntries(result.checks.map((check) => [check.id, check.status])),
  };
}

const runs = [await grade()];
// 1. A lab-local module that checks.ts imports: mentionsId now never finds anything.
const inspect = path.join(labDir, "inspect.ts");
const signature = "export function mentionsId(result: CallToolResult, id: string): boolean {";
writeFileSync(
  inspect,
  readFileSync(inspect, "utf8").replace(signature, `${signature}\n  if (id) return false;`),
);
runs.push(await grade());
// 2. checks.ts itself: one more check.
appendFileSync(
  path.join(labDir, "checks.ts"),
  `\nchecks.push({ id: "added-after-edit", title: "added after an edit", severity: "should", lesson: "m2/first-server", run: async () => undefined });\n`,
);
runs.push(await grade());
console.log(JSON.stringify(runs));

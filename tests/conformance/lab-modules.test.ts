// A running worker grades with a lab's checks as they are on disk now (conformance/lab-modules.ts),
// and every result says which checks graded it (checksHash).
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeSubmission } from "../../conformance/grade.ts";
import { labChecksHash, labModuleSources } from "../../conformance/lab-modules.ts";
import { projectPath } from "../../lib/paths.ts";
import { sandboxMode } from "./sandbox-mode.ts";

interface Run {
  verdict: string;
  checksHash: string;
  checks: Record<string, string>;
}

/** A copy of labs/hello-server in a labs root of its own, inside the repo (so ../../conformance resolves). */
function copyOfHelloServer(): string {
  const root = mkdtempSync(projectPath(".tmp-lab-modules-"));
  cpSync(projectPath("labs", "hello-server"), path.join(root, "hello-server"), { recursive: true });
  return root;
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: projectPath(), timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function expectRegradedWithNewChecks(runs: Run[]): void {
  const [before, afterModule, afterChecks] = runs;
  expect(before.verdict).toBe("passed");
  expect(before.checks["search-finds-note"]).toBe("pass");
  // The edited helper module ran: the check that relies on it now fails; the hash moved.
  expect(afterModule.checks["search-finds-note"]).toBe("fail");
  expect(afterModule.verdict).toBe("checks-failed");
  expect(afterModule.checksHash).not.toBe(before.checksHash);
  // The edited checks.ts ran: its new check is there, the module edit still holds; the hash moved again.
  expect(afterChecks.checks["added-after-edit"]).toBe("pass");
  expect(afterChecks.checks["search-finds-note"]).toBe("fail");
  expect(afterChecks.checksHash).not.toBe(afterModule.checksHash);
  expect("added-after-edit" in before.checks).toBe(false);
}

describe("lab checks edited while the process runs", () => {
  const roots: string[] = [];
  let isolation: "bwrap" | "unsafe-local";
  beforeAll(async () => {
    isolation = await sandboxMode();
  });
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it("the hash covers lab.yaml, checks.ts and the lab-local modules it imports, other labs' too, not the engine", async () => {
    const capstone = await labModuleSources(
      projectPath("labs", "capstone", "checks.ts"),
      projectPath("labs"),
    );
    const files = [...capstone.keys()].map((file) => path.relative(projectPath("labs"), file));
    expect(files).toEqual(
      expect.arrayContaining([
        "capstone/checks.ts",
        "capstone/world.ts",
        "injection-defense/checks.ts",
        "injection-defense/path-checks.ts",
        "oauth-resource-server/probes.ts",
      ]),
    );
    expect(files.filter((file) => file.startsWith(".."))).toEqual([]);

    const root = copyOfHelloServer();
    roots.push(root);
    const original = await labChecksHash(root, "hello-server");
    expect(original).toMatch(/^[0-9a-f]{12}$/);
    expect(await labChecksHash(projectPath("labs"), "hello-server")).toBe(original);
    writeFileSync(path.join(root, "hello-server", "starter", "python", "server.py"), "# not graded code\n");
    expect(await labChecksHash(root, "hello-server")).toBe(original);
    writeFileSync(path.join(root, "hello-server", "generate.ts"), "// changed\n", { flag: "a" });
    const afterModule = await labChecksHash(root, "hello-server");
    expect(afterModule).not.toBe(original);
    writeFileSync(path.join(root, "hello-server", "lab.yaml"), "# changed\n", { flag: "a" });
    expect(await labChecksHash(root, "hello-server")).not.toBe(afterModule);
  });

  it("results carry checksHash, in the returned result and in the finished event", async () => {
    const finished: string[] = [];
    const result = await gradeSubmission({
      labId: "hello-server",
      dir: projectPath("labs", "hello-server", "solution", "python"),
      lang: "python",
      seed: 4242,
      isolation,
      onEvent: (event) => {
        if (event.type === "finished") finished.push(event.result.checksHash ?? "none");
      },
    });
    expect(result.verdict).toBe("passed");
    expect(result.checksHash).toBe(await labChecksHash(projectPath("labs"), "hello-server"));
    expect(finished).toEqual([result.checksHash]);
  });

  it("under tsx, as `npm run worker` runs: grade, edit a module checks.ts imports, grade, edit checks.ts, grade", async () => {
    const root = copyOfHelloServer();
    roots.push(root);
    const out = await run(projectPath("node_modules/.bin/tsx"), [
      projectPath("tests/conformance/regrade-probe.ts"),
      root,
      isolation,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expectRegradedWithNewChecks(JSON.parse(out.stdout.trim().split("\n").at(-1) as string) as Run[]);
  });

  it("under tsx's tsImport, as the Next app's native engine loads the engine (lib/worker/native.ts)", async () => {
    const root = copyOfHelloServer();
    roots.push(root);
    const probe = pathToFileURL(projectPath("tests/conformance/regrade-probe.ts")).href;
    const parent = pathToFileURL(projectPath("package.json")).href;
    const script = `const { tsImport } = await import("tsx/esm/api"); process.argv = [process.argv[0], "regrade-probe", ${JSON.stringify(root)}, ${JSON.stringify(isolation)}]; await tsImport(${JSON.stringify(probe)}, ${JSON.stringify(parent)});`;
    const out = await run(projectPath("node_modules/.bin/node"), ["--input-type=module", "-e", script]);
    expect(out.code, out.stderr).toBe(0);
    expectRegradedWithNewChecks(JSON.parse(out.stdout.trim().split("\n").at(-1) as string) as Run[]);
  });
});

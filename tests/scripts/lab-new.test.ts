// `npm run lab:new -- <id>` scaffolds a lab the engine accepts, whose solution passes and whose starter
// fails, in both languages, graded for real (sandbox and all). Scaffolds go to a git-ignored folder
// inside the repo (LABS_DIR), so the lab's checks.ts resolves zod and the check API as in labs/.
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeSubmission } from "../../conformance/grade.ts";
import { loadLabChecks } from "../../conformance/lab-checks.ts";
import { loadLabConfig } from "../../conformance/lab-config.ts";
import { projectPath } from "../../lib/paths.ts";

function labNew(args: string[], labsDir?: string): SpawnSyncReturns<string> {
  return spawnSync(projectPath("node_modules/.bin/tsx"), [projectPath("scripts/lab-new.ts"), ...args], {
    cwd: projectPath(),
    env: { ...process.env, LABS_DIR: labsDir ?? "" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

/** Every file under a folder with its modification time, to prove a refusal changed nothing. */
function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, file)] = statSync(file).mtimeMs;
    }
  return out;
}

describe("npm run lab:new", () => {
  let labsDir: string;
  const id = "word-counter";
  beforeAll(() => {
    labsDir = mkdtempSync(projectPath(".tmp-lab-new-"));
  });
  afterAll(() => rmSync(labsDir, { recursive: true, force: true }));

  it("scaffolds lab.yaml, README, checks and starter/solution in both languages, valid for the engine", async () => {
    const run = labNew([id], labsDir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`npm run grade -- --lab ${id}`);
    const labDir = path.join(labsDir, id);
    for (const file of [
      "lab.yaml",
      "README.md",
      "checks.ts",
      "starter/python/server.py",
      "starter/typescript/server.ts",
      "solution/python/server.py",
      "solution/typescript/server.ts",
    ])
      expect(existsSync(path.join(labDir, file)), file).toBe(true);

    const config = await loadLabConfig(id, labsDir);
    if (!config.ok) throw new Error(config.error);
    expect(config.value).toMatchObject({ id, transport: "stdio", languages: ["python", "typescript"] });
    const checks = await loadLabChecks(labDir);
    if (!checks.ok) throw new Error(checks.error);
    expect(checks.value.map((check) => check.id)).toEqual(["count-words-structured"]);

    const readme = readFileSync(path.join(labDir, "README.md"), "utf8");
    for (const heading of ["## Goal", "## What is graded", "## Limits", "## Run it locally"])
      expect(readme).toContain(heading);
    expect(readme).toContain(`npm run grade -- --lab ${id}`);
    expect(readme).not.toContain("{{");
  });

  it.each(["python", "typescript"] as const)(
    "its %s solution passes and its starter fails the example check",
    async (lang) => {
      const graded = (kind: string) =>
        gradeSubmission({
          labId: id,
          dir: path.join(labsDir, id, kind, lang),
          lang,
          labsRoot: labsDir,
          seed: 4242,
        });
      const solution = await graded("solution");
      // A reference solution passes every check, the `should` ones included.
      expect(solution.checks.filter((check) => check.status !== "pass")).toEqual([]);
      expect(solution.verdict).toBe("passed");
      const starter = await graded("starter");
      expect(starter.verdict).toBe("checks-failed");
      expect(starter.checks.find((check) => check.id === "count-words-structured")?.status).toBe("fail");
    },
  );

  it("`npm run labs:verify` proves the scaffold in its own labs root (LABS_DIR or --labs-root)", () => {
    const verify = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(
        projectPath("node_modules/.bin/tsx"),
        [projectPath("conformance/cli/labs-verify.ts"), ...args],
        {
          cwd: projectPath(),
          env: { ...process.env, LABS_DIR: "", ...env },
          encoding: "utf8",
          timeout: 180_000,
        },
      );
    const run = verify(["--seed", "4242"], { LABS_DIR: labsDir });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    // Exactly the scaffold's four runs, none of labs/.
    expect(run.stdout).toContain("4/4 as expected");
    for (const variant of ["solution/python", "starter/python", "solution/typescript", "starter/typescript"])
      expect(run.stdout).toContain(`grading ${id} ${variant}`);
    expect(run.stdout).not.toContain("hello-server");
    const empty = mkdtempSync(projectPath(".tmp-lab-new-empty-"));
    try {
      const none = verify(["--labs-root", empty]);
      expect(none.status).toBe(2);
      expect(none.stderr).toContain(`no labs found in ${empty}`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("refuses an existing id and changes nothing", () => {
    const before = snapshot(path.join(labsDir, id));
    const again = labNew([id], labsDir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists");
    expect(snapshot(path.join(labsDir, id))).toEqual(before);

    const real = snapshot(projectPath("labs/hello-server"));
    const clash = labNew(["hello-server"]);
    expect(clash.status).toBe(1);
    expect(clash.stderr).toContain("labs/hello-server already exists");
    expect(snapshot(projectPath("labs/hello-server"))).toEqual(real);
  });

  it.each([
    ["Word-Counter"],
    ["word_counter"],
    ["word--counter"],
    ["-x"],
    ["1st-lab"],
    ["a/../../etc"],
    ["x".repeat(41)],
  ])("refuses the bad slug %j with a clear message", (slug) => {
    const run = labNew([slug], labsDir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not a valid lab id|usage/);
    expect(readdirSync(labsDir)).toEqual([id]);
  });

  it("without an id it prints the usage", () => {
    const run = labNew([], labsDir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: npm run lab:new -- <lab-id>");
  });
});

// Grades a folder through the real CLI (`npm run grade -- ... --json`), sandbox included, and
// returns the parsed result: the same path a learner's local run takes. A fixture stored as a patch
// against its lab's solution is built in a temp dir for the run (tests/fixtures/materialize.ts).
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { type CheckStatus, type GradeResult, parseGradeResult } from "../../conformance/result.ts";
import { materializeDir, SERVERS_DIR } from "../fixtures/materialize.ts";

export const REPO_DIR = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const FIXTURES_DIR = SERVERS_DIR;
const TSX_CLI = path.join(REPO_DIR, "node_modules/tsx/dist/cli.mjs");

export type Lang = "python" | "typescript";

/** Grades `dir` (a server folder, or a fixture folder holding patch.diff) through the CLI. */
export async function grade(lab: string, dir: string, lang: Lang, seed: number): Promise<GradeResult> {
  const built = await materializeDir(dir);
  try {
    return await gradeFolder(lab, built.dir, lang, seed);
  } finally {
    await built.cleanup();
  }
}

function gradeFolder(lab: string, dir: string, lang: Lang, seed: number): Promise<GradeResult> {
  const args = [
    TSX_CLI,
    "conformance/cli/grade.ts",
    "--lab",
    lab,
    "--dir",
    dir,
    "--lang",
    lang,
    "--seed",
    String(seed),
    "--json",
  ];
  return new Promise((resolve, reject) => {
    // Exit 1 (the server failed) is an expected outcome here; only the JSON matters.
    execFile(
      process.execPath,
      args,
      { cwd: REPO_DIR, maxBuffer: 32 * 1024 * 1024 },
      (_err, stdout, stderr) => {
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          reject(
            new Error(
              `grade printed no JSON result.\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 2000)}`,
            ),
          );
          return;
        }
        const parsed = parseGradeResult(json);
        if (parsed.ok) resolve(parsed.value);
        else reject(new Error(`grade's JSON does not match the result schema: ${parsed.error}`));
      },
    );
  });
}

/** What one graded folder must produce: the checks named here, every other check `pass`. */
export interface Expectation {
  name: string;
  dir: string;
  lang: Lang;
  status: "pass" | "fail";
  /** Check id -> status, and for a fail a pattern its message must match (what the learner reads). */
  checks: Record<string, { status: CheckStatus; message?: RegExp }>;
}

export function assertGraded(result: GradeResult, want: Expectation): void {
  const byId = new Map(result.checks.map((c) => [c.id, c]));
  const summary = result.checks.map(
    (c) => `${c.id}: ${c.status}${c.status === "pass" ? "" : ` (${c.message.slice(0, 160)})`}`,
  );
  for (const [id, expected] of Object.entries(want.checks)) {
    const got = byId.get(id);
    expect(got, `${want.name}: check ${id} is missing from the result\n${summary.join("\n")}`).toBeDefined();
    expect(got?.status, `${want.name}: ${id}\n${summary.join("\n")}`).toBe(expected.status);
    if (expected.message) expect(got?.message, `${want.name}: ${id} message`).toMatch(expected.message);
  }
  const others = result.checks.filter((c) => !(c.id in want.checks) && c.status !== "pass");
  expect(
    others.map((c) => `${c.id}: ${c.status} (${c.message})`),
    `${want.name}: unexpected non-passing checks`,
  ).toEqual([]);
  expect(result.status, `${want.name}: overall status\n${summary.join("\n")}`).toBe(want.status);
}

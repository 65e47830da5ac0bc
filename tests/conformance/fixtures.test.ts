// Golden fixtures: every server in tests/fixtures/servers is graded (sandboxed, fixed seed) and its
// verdict and per-check statuses must equal its expected.json. RECORD=1 rewrites the statuses
// (review the diff); `messageIncludes` is written by hand and kept: the words the learner must see.
import { readdirSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GradeResultSchema } from "../../conformance/result.ts";
import { FIXTURES_ROOT, goldenOf, gradeFixture } from "./fixture-grader.ts";
import { sandboxMode } from "./sandbox-mode.ts";

const ExpectedSchema = z
  .object({
    status: z.enum(["pass", "fail", "error"]),
    verdict: z.string(),
    checks: z.record(z.string(), z.enum(["pass", "fail", "error", "skipped"])),
    /** Substrings that must appear: key "verdict" means the result message, else a check id's message. */
    messageIncludes: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const RECORD = process.env.RECORD === "1";
const only = process.env.FIXTURE;
const fixtures = readdirSync(FIXTURES_ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && (!only || e.name === only))
  .map((e) => e.name)
  .sort();

let isolation: "bwrap" | "unsafe-local" = "bwrap";
beforeAll(async () => {
  isolation = await sandboxMode();
});

describe("golden fixtures", () => {
  it("has fixtures to grade", () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const name of fixtures) {
    it(`${name} grades as its expected.json says`, async () => {
      const file = path.join(FIXTURES_ROOT, name, "expected.json");
      const result = await gradeFixture(name, { isolation });
      expect(GradeResultSchema.safeParse(result).success).toBe(true);
      const golden = goldenOf(result);
      const present = await stat(file).then(
        () => true,
        () => false,
      );
      if (RECORD) {
        const previous = present ? ExpectedSchema.parse(JSON.parse(await readFile(file, "utf8"))) : undefined;
        const next = {
          ...golden,
          ...(previous?.messageIncludes ? { messageIncludes: previous.messageIncludes } : {}),
        };
        await writeFile(file, `${JSON.stringify(next, null, 2)}\n`);
        return;
      }
      expect(
        present,
        `${name}/expected.json is missing: run RECORD=1 FIXTURE=${name} npx vitest run tests/conformance/fixtures.test.ts`,
      ).toBe(true);
      const expected = ExpectedSchema.parse(JSON.parse(await readFile(file, "utf8")));
      expect({ status: golden.status, verdict: golden.verdict, checks: golden.checks }).toEqual({
        status: expected.status,
        verdict: expected.verdict,
        checks: expected.checks,
      });
      for (const [key, words] of Object.entries(expected.messageIncludes ?? {})) {
        const text = key === "verdict" ? result.message : result.checks.find((c) => c.id === key)?.message;
        expect(text, `message of ${key}`).toContain(words);
      }
    });
  }
});

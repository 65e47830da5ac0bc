// The capstone's readers of learner text, without a server: the changelog's newest release entry
// and the tool-call lines of a log.
import { describe, expect, it } from "vitest";
import { newestRelease } from "../../labs/capstone/contract-checks.ts";
import { callLines } from "../../labs/capstone/observability-checks.ts";

describe("newestRelease", () => {
  it("skips Unreleased and reads a Keep a Changelog heading, with its text", () => {
    const entry = newestRelease(
      "# Changelog\n\n## [Unreleased]\n- wip\n\n## [1.2.0] - 2026-03-02\n### Contract\n- Added: x\n\n## [1.1.0] - 2026-01-01\n- y\n",
    );
    expect(entry).toEqual({
      heading: "## [1.2.0] - 2026-03-02",
      version: "1.2.0",
      date: "2026-03-02",
      body: "### Contract\n- Added: x",
    });
  });

  it("accepts the course's '## 1.2.0 (2026-03-02)' and a linked version", () => {
    expect(newestRelease("## 1.2.0 (2026-03-02)\n- a\n")?.version).toBe("1.2.0");
    expect(newestRelease("## [2.0.0-rc.1](https://example.test/compare) - 2026-04-01\n- a")?.date).toBe(
      "2026-04-01",
    );
  });

  it("returns a heading it cannot read without a version, and nothing without a release", () => {
    expect(newestRelease("## Version two\n- a")).toMatchObject({
      heading: "## Version two",
      version: undefined,
    });
    expect(newestRelease("# Changelog\n\n## Unreleased\n- a")).toBeUndefined();
  });
});

describe("callLines", () => {
  it("keeps the JSON lines that name a tool and an outcome, nothing else", () => {
    const stderr = [
      "INFO: started",
      '{"msg": "tools/call", "tool": "whoami", "sub": "a", "outcome": "ok", "duration_ms": 1.5, "correlation_id": "abcdefgh1"}',
      '{"msg": "upstream attempt failed", "correlation_id": "x", "tool": "get_stock"}',
      '{"tool": "read_document", "outcome": "denied", "sub": "b"',
      "[1, 2]",
    ].join("\n");
    expect(callLines(stderr).map((l) => [l.tool, l.outcome, l.sub, l.durationMs])).toEqual([
      ["whoami", "ok", "a", 1.5],
    ]);
  });
});

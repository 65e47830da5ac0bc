// The lab page's results panel, rendered to HTML: checks that carry an area are grouped by area
// under a readiness score (the capstone); a result without areas renders as one list, as before.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ResultsView } from "../../../app/labs/[lab]/results-view.tsx";
import { readiness } from "../../../conformance/readiness.ts";
import type { CheckResult, GradeResult } from "../../../conformance/result.ts";
import type { SubmissionDetail } from "../../../lib/submissions/queries.ts";

const check = (id: string, status: CheckResult["status"], area?: string): CheckResult => ({
  id,
  title: `title of ${id}`,
  severity: "must",
  status,
  message: `${id} ${status}`,
  durationMs: 1,
  ...(area ? { area } : {}),
});

function detail(checks: CheckResult[]): SubmissionDetail {
  const summary = readiness(checks);
  const result: GradeResult = {
    version: 1,
    lab: "capstone",
    lang: "python",
    seed: 1,
    status: "fail",
    verdict: "checks-failed",
    message: "1 of 3 required checks failed",
    score: checks.filter((c) => c.status === "pass").length,
    maxScore: checks.length,
    ...(summary ? { readiness: summary } : {}),
    durationMs: 10,
    runtime: {},
    limits: null,
    checks,
    stderr: "",
    stderrTruncated: false,
    trace: [],
    traceTruncated: false,
  };
  return {
    id: "s1",
    labId: "capstone",
    lang: "python",
    kind: "run",
    status: "done",
    verdict: result.verdict,
    score: result.score,
    maxScore: result.maxScore,
    createdAt: "2026-11-26T00:00:00.000Z",
    finishedAt: "2026-11-26T00:00:10.000Z",
    counts: true,
    regradeOf: null,
    seed: 1,
    files: { "server.py": "" },
    result,
    message: result.message ?? null,
  };
}

const render = (d: SubmissionDetail) =>
  renderToStaticMarkup(createElement(ResultsView, { run: null, detail: d }));

describe("ResultsView", () => {
  it("groups checks by area under the readiness score", () => {
    const html = render(
      detail([
        check("ping", "pass", "protocol"),
        check("rejects-missing-token", "fail", "security"),
        check("scopes-enforced", "skipped", "security"),
        check("suite-ping", "pass", "official-suite"),
      ]),
    );
    // (1 + 0 + 1) / 3 areas
    expect(html).toContain('data-testid="readiness" data-score="66"');
    expect(html).toContain("Readiness 66/100");
    expect(html).toMatch(/<li data-area="security" class="area-short">security 0\/2<\/li>/);
    const areas = [...html.matchAll(/<section class="check-area" data-area="([a-z-]+)"/g)].map((m) => m[1]);
    expect(areas).toEqual(["protocol", "security", "official-suite"]);
    // One container still holds every check, so selectors like [data-testid="checks"] li keep working.
    const inside = html.slice(html.indexOf('data-testid="checks"'));
    expect([...inside.matchAll(/data-check="([a-z-]+)"/g)].map((m) => m[1])).toEqual([
      "ping",
      "rejects-missing-token",
      "scopes-enforced",
      "suite-ping",
    ]);
  });

  it("renders a result without areas as one list, with no readiness", () => {
    const html = render(detail([check("ping", "pass"), check("tools-listed", "fail")]));
    expect(html).not.toContain("readiness");
    expect(html).toContain('<ol class="checks" data-testid="checks">');
    expect(html).not.toContain("check-area");
  });
});

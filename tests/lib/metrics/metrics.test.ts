// /api/metrics' content against real databases (SQLite always, PostgreSQL when configured): queue
// depth by state, gradings by lab and verdict, latency percentiles over the window only, and the
// exposition format's escaping.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectMetrics, LATENCY_WINDOW_MS } from "../../../lib/metrics/collect.ts";
import { renderExposition } from "../../../lib/metrics/exposition.ts";
import { carriesScrapeToken } from "../../../lib/metrics/scrape-token.ts";
import { databaseKinds, type TestDb } from "../../helpers/test-db.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const at = (msBeforeNow: number) => new Date(NOW.getTime() - msBeforeNow);

for (const { kind, create } of databaseKinds) {
  describe(`metrics on ${kind}`, () => {
    let t: TestDb;
    let n = 0;
    const submission = (fields: {
      labId?: string;
      status: string;
      verdict?: string;
      createdAt?: Date;
      startedAt?: Date;
      finishedAt?: Date;
    }) =>
      t.db.submission.create({
        data: {
          userId,
          labId: fields.labId ?? "hello-server",
          lang: "python",
          kind: "submit",
          files: "{}",
          idempotencyKey: `key-${++n}`,
          seed: 1,
          status: fields.status,
          verdict: fields.verdict ?? null,
          createdAt: fields.createdAt ?? NOW,
          startedAt: fields.startedAt ?? null,
          finishedAt: fields.finishedAt ?? null,
        },
      });
    let userId = "";

    beforeEach(async () => {
      t = await create();
      userId = (await t.db.user.create({ data: { email: "m@example.com", role: "learner" } })).id;
    });
    afterEach(() => t.drop());

    it("counts the queue, gradings by lab and verdict, and latency within the window only", async () => {
      await submission({ status: "queued" });
      await submission({ status: "queued" });
      await submission({ status: "running", startedAt: at(1000) });
      // Three finished in the window: waits 1, 2, 3 s; gradings 2, 4, 6 s.
      for (const i of [1, 2, 3])
        await submission({
          status: "done",
          verdict: i === 3 ? "timeout" : "passed",
          createdAt: at(60_000),
          startedAt: at(60_000 - i * 1000),
          finishedAt: at(60_000 - i * 1000 - 2 * i * 1000),
        });
      // Our error, and one finished long before the window (counted, but not in the percentiles).
      await submission({ status: "error", verdict: "infra-error", labId: "schemas", finishedAt: at(1000) });
      await submission({
        status: "done",
        verdict: "passed",
        createdAt: at(LATENCY_WINDOW_MS + 600_000),
        startedAt: at(LATENCY_WINDOW_MS + 500_000),
        finishedAt: at(LATENCY_WINDOW_MS + 10_000),
      });

      const families = Object.fromEntries((await collectMetrics(t.db, NOW)).map((f) => [f.name, f.samples]));
      expect(families.mcp_lab_queue_depth).toEqual([
        { labels: { state: "queued" }, value: 2 },
        { labels: { state: "running" }, value: 1 },
      ]);
      expect(families.mcp_lab_gradings_total).toEqual([
        { labels: { lab: "hello-server", verdict: "passed" }, value: 3 },
        { labels: { lab: "hello-server", verdict: "timeout" }, value: 1 },
        { labels: { lab: "schemas", verdict: "infra-error" }, value: 1 },
      ]);
      expect(families.mcp_lab_queue_wait_seconds).toEqual([
        { labels: { quantile: "0.5", window: "60m" }, value: 2 },
        { labels: { quantile: "0.95", window: "60m" }, value: 3 },
      ]);
      expect(families.mcp_lab_grading_seconds).toEqual([
        { labels: { quantile: "0.5", window: "60m" }, value: 4 },
        { labels: { quantile: "0.95", window: "60m" }, value: 6 },
      ]);
      expect(families.mcp_lab_gradings_in_window).toEqual([{ labels: { window: "60m" }, value: 3 }]);
    });

    it("an idle platform reports zero depth and no latency value (NaN), not zero seconds", async () => {
      const text = renderExposition(await collectMetrics(t.db, NOW));
      expect(text).toContain('mcp_lab_queue_depth{state="queued"} 0');
      expect(text).toContain('mcp_lab_grading_seconds{quantile="0.5",window="60m"} NaN');
      expect(text).toContain("# TYPE mcp_lab_gradings_total counter");
    });
  });
}

describe("exposition format", () => {
  it("escapes label values and help text, and ends with a newline", () => {
    const text = renderExposition([
      {
        name: "x_total",
        help: 'a "help"\nline',
        type: "counter",
        samples: [{ labels: { lab: 'we"ird\\lab\n' }, value: 1 }],
      },
    ]);
    expect(text).toBe(
      '# HELP x_total a "help"\\nline\n# TYPE x_total counter\nx_total{lab="we\\"ird\\\\lab\\n"} 1\n',
    );
  });
});

describe("scrape token", () => {
  const token = "a-metrics-token-of-24-chars";
  it("accepts exactly the configured bearer token and nothing when none is configured", () => {
    expect(carriesScrapeToken(`Bearer ${token}`, token)).toBe(true);
    expect(carriesScrapeToken(`Bearer ${token}x`, token)).toBe(false);
    expect(carriesScrapeToken(`Bearer ${token.slice(1)}`, token)).toBe(false);
    expect(carriesScrapeToken(token, token)).toBe(false);
    expect(carriesScrapeToken(null, token)).toBe(false);
    expect(carriesScrapeToken("Bearer ", undefined)).toBe(false);
  });
});

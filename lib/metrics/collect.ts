import "server-only";
// What /api/metrics reports, read from the database at scrape time rather than counted in memory:
// with `npm run worker` processes beside the app, only the database sees every grading. Queue depth
// by state, gradings by lab and verdict (the sandbox outcomes: did-not-start, timeout, memory-limit,
// ...), and queue wait / grading time percentiles over a recent window.
import type { Db } from "../db/client.ts";
import { percentile } from "../stats.ts";
import type { MetricFamily } from "./exposition.ts";

/** The latency percentiles cover gradings finished in this window before the scrape. */
export const LATENCY_WINDOW_MS = 60 * 60 * 1000;
const QUANTILES = [0.5, 0.95] as const;
const QUEUE_STATES = ["queued", "running"] as const;

/** Seconds; NaN when nothing finished in the window (Prometheus' "no value"). */
function quantileSamples(values: number[], window: string) {
  return QUANTILES.map((q) => ({
    labels: { quantile: String(q), window },
    value: values.length ? percentile(values, q * 100) / 1000 : Number.NaN,
  }));
}

export async function collectMetrics(db: Db, now = new Date()): Promise<MetricFamily[]> {
  const [byStatus, byVerdict, recent] = await Promise.all([
    db.submission.groupBy({ by: ["status"], _count: { _all: true } }),
    db.submission.groupBy({
      by: ["labId", "verdict"],
      where: { status: { in: ["done", "error"] }, verdict: { not: null } },
      _count: { _all: true },
    }),
    db.submission.findMany({
      where: { finishedAt: { gte: new Date(now.getTime() - LATENCY_WINDOW_MS) }, startedAt: { not: null } },
      select: { createdAt: true, startedAt: true, finishedAt: true },
    }),
  ]);
  const depth = new Map(byStatus.map((row) => [row.status, row._count._all]));
  const waits: number[] = [];
  const gradings: number[] = [];
  for (const row of recent) {
    if (!row.startedAt || !row.finishedAt) continue;
    waits.push(row.startedAt.getTime() - row.createdAt.getTime());
    gradings.push(row.finishedAt.getTime() - row.startedAt.getTime());
  }
  const window = `${LATENCY_WINDOW_MS / 60_000}m`;
  return [
    {
      name: "mcp_lab_queue_depth",
      help: "Submissions waiting for a worker (queued) or being graded (running).",
      type: "gauge",
      samples: QUEUE_STATES.map((state) => ({ labels: { state }, value: depth.get(state) ?? 0 })),
    },
    {
      name: "mcp_lab_gradings_total",
      help: "Finished gradings by lab and verdict: the learner's outcomes (passed, checks-failed, did-not-start, crashed, timeout, memory-limit, output-limit) and ours (bad-submission, infra-error).",
      type: "counter",
      samples: byVerdict
        .map((row) => ({ labels: { lab: row.labId, verdict: row.verdict ?? "" }, value: row._count._all }))
        .sort((a, b) =>
          `${a.labels.lab} ${a.labels.verdict}`.localeCompare(`${b.labels.lab} ${b.labels.verdict}`),
        ),
    },
    {
      name: "mcp_lab_queue_wait_seconds",
      help: "Time from submission to a worker starting it, percentiles over gradings finished in the window.",
      type: "gauge",
      samples: quantileSamples(waits, window),
    },
    {
      name: "mcp_lab_grading_seconds",
      help: "Time from a worker starting a submission to its result, percentiles over gradings finished in the window.",
      type: "gauge",
      samples: quantileSamples(gradings, window),
    },
    {
      name: "mcp_lab_gradings_in_window",
      help: "How many gradings the latency percentiles are computed from.",
      type: "gauge",
      samples: [{ labels: { window }, value: gradings.length }],
    },
  ];
}

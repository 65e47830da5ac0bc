// bench/queue: 100 hello-server submissions queued at once (passing and failing, Python and
// TypeScript), graded by 2 worker processes (`scripts/worker.ts`, real engine, real sandbox).
//   npm run bench:queue [-- --submissions 100 --workers 2 --concurrency 1 --queue embedded|pg-boss]
// Prints total time, throughput, p50/p95 latency (queued -> result written), each worker's peak RSS,
// and checks that every submission was graded exactly once with the verdict its code deserves.
// Targets: <= 2 min for 100, none lost, none graded twice. --queue pg-boss needs TEST_POSTGRES_URL.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { projectPath } from "../../lib/paths.ts";
import { openQueue } from "../../lib/queue/index.ts";
import { createSubmission } from "../../lib/submissions/create.ts";
import { freshPostgres, freshSqlite } from "../../tests/helpers/test-db.ts";
import { percentile } from "../stats.ts";

const { values } = parseArgs({
  options: {
    submissions: { type: "string", default: "100" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "1" },
    queue: { type: "string", default: "embedded" },
    "timeout-s": { type: "string", default: "600" },
  },
});
const total = Number(values.submissions);
const workerCount = Number(values.workers);
const backend = values.queue === "pg-boss" ? "pg-boss" : "embedded";

type Lang = "python" | "typescript";
const code = (kind: "solution" | "starter", lang: Lang) =>
  readFileSync(
    projectPath(`labs/hello-server/${kind}/${lang}/server.${lang === "python" ? "py" : "ts"}`),
    "utf8",
  );
/** Every 4th of each language fails: starters, which fail some checks. */
const cases = Array.from({ length: total }, (_, i) => {
  const lang: Lang = i % 2 === 0 ? "python" : "typescript";
  const passing = i % 4 < 2;
  return { lang, passing, source: code(passing ? "solution" : "starter", lang) };
});

const database =
  backend === "pg-boss" || process.env.BENCH_POSTGRES ? await freshPostgres() : await freshSqlite();
const queue = await openQueue(backend, database.url, database.db);
const workers: ChildProcess[] = [];

function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index], index);
    }
  });
  await Promise.all(lanes);
  return out;
}

try {
  const users = await Promise.all(
    cases.map((_, i) => database.db.user.create({ data: { email: `bench-${i}@example.com` } })),
  );
  // Workers first, idle, so the clock measures grading and not start-up.
  for (let i = 0; i < workerCount; i++) {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", projectPath("scripts/worker.ts"), "--concurrency", values.concurrency],
      {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          QUEUE: backend,
          LOG_LEVEL: "warn",
          MCP_LAB_SKIP_DOTENV: "1",
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    workers.push(child);
  }
  const started = Date.now();
  // Learners' requests, 10 in flight at a time (as a few app connections would carry them).
  const created = await mapLimit(cases, 10, (c, i) =>
    createSubmission(
      database.db,
      {
        userId: users[i].id,
        labId: "hello-server",
        lang: c.lang,
        kind: "submit",
        files: { [c.lang === "python" ? "server.py" : "server.ts"]: c.source },
        idempotencyKey: `bench-${i}-key`,
      },
      { enqueue: async (submissionId) => void (await queue.enqueue({ submissionId })) },
    ),
  );
  const ids = created.map((c) => c.id);
  const queuedMs = Date.now() - started;
  const deadline = started + Number(values["timeout-s"]) * 1000;
  let finished = 0;
  while (Date.now() < deadline) {
    finished = await database.db.submission.count({
      where: { id: { in: ids }, status: { in: ["done", "error"] } },
    });
    if (finished === ids.length) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const wallMs = Date.now() - started;
  const rss = workers.map((w) => peakRssMb(w.pid));

  const rows = await database.db.submission.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const latencies = rows
    .filter((row) => row.finishedAt)
    .map((row) => row.finishedAt!.getTime() - row.createdAt.getTime())
    .sort((a, b) => a - b);
  const finishedEvents = await database.db.submissionEvent.groupBy({
    by: ["submissionId"],
    where: { submissionId: { in: ids }, type: "finished" },
    _count: { _all: true },
  });
  const attempts = await database.db.submissionEvent.count({
    where: { submissionId: { in: ids }, type: "attempt" },
  });
  const gradedTwice = finishedEvents.filter((row) => row._count._all !== 1).length;
  const lost = ids.length - finished;
  const wrong = cases.filter((c, i) => {
    const row = byId.get(ids[i]);
    return row?.status === "done" && row.verdict !== (c.passing ? "passed" : "checks-failed");
  }).length;
  const errors = rows.filter((row) => row.status === "error").map((row) => row.verdict);

  const line = (label: string, value: string) => console.log(`${label.padEnd(28)} ${value}`);
  console.log(
    `bench/queue: ${total} hello-server submissions, ${workerCount} workers x ${values.concurrency}, queue ${backend}`,
  );
  line("enqueued in", `${queuedMs} ms`);
  line("total time", `${(wallMs / 1000).toFixed(1)} s (target <= 120 s for 100)`);
  line("throughput", `${((finished / wallMs) * 1000 * 60).toFixed(1)} gradings/min`);
  line(
    "latency p50 / p95",
    `${(percentile(latencies, 50) / 1000).toFixed(1)} s / ${(percentile(latencies, 95) / 1000).toFixed(1)} s (queued -> result)`,
  );
  line("worker peak RSS", rss.map((mb, i) => `w${i + 1} ${mb ?? "?"} MB`).join(", "));
  line(
    "graded",
    `${finished}/${ids.length} (lost ${lost}, graded twice ${gradedTwice}, attempts ${attempts})`,
  );
  line(
    "verdicts as expected",
    `${ids.length - wrong - errors.length}/${ids.length}${errors.length ? ` (errors: ${errors.join(", ")})` : ""}`,
  );
  const ok =
    lost === 0 &&
    gradedTwice === 0 &&
    wrong === 0 &&
    errors.length === 0 &&
    (total !== 100 || wallMs <= 120_000);
  line("result", ok ? "OK" : "TARGET MISSED");
  process.exitCode = ok ? 0 : 1;
} finally {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null || w.signalCode !== null) return resolve();
          w.once("exit", () => resolve());
          w.kill("SIGTERM");
        }),
    ),
  );
  await queue.close();
  await database.drop();
}

import { spawn } from "node:child_process";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { projectPath } from "../../../lib/paths.ts";
import { DbJobQueue } from "../../../lib/queue/db-queue.ts";
import { PgBossJobQueue } from "../../../lib/queue/pgboss-queue.ts";
import type { GradingJobPayload, JobContext, JobQueue } from "../../../lib/queue/types.ts";
import { freshPostgres, freshSqlite, postgresAvailable, type TestDb } from "../../helpers/test-db.ts";
import { HANGING_LEASE_MS, HANGING_LEASE_SECONDS } from "./hanging-lease.ts";

interface Backend {
  name: string;
  available: boolean;
  database: () => Promise<TestDb>;
  open: (t: TestDb) => Promise<JobQueue>;
}

const backends: Backend[] = [
  {
    name: "embedded (SQLite)",
    available: true,
    database: freshSqlite,
    open: async (t) => new DbJobQueue(t.db),
  },
  {
    name: "embedded (PostgreSQL)",
    available: postgresAvailable,
    database: freshPostgres,
    open: async (t) => new DbJobQueue(t.db),
  },
  {
    name: "pg-boss",
    available: postgresAvailable,
    database: freshPostgres,
    // The production lease mechanism (heartbeats) at pg-boss's shortest lease; the backstop expiry
    // stays at its production value, so only the heartbeat can hand a job on here.
    open: (t) =>
      PgBossJobQueue.connect({ connectionString: t.url, superviseIntervalSeconds: 1, leaseSeconds: 10 }),
  },
];

/** Polls `check` until it holds (a database state another process produces; no event to wait on). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * Resolves once the claimed job's lease has been renewed past a whole lease beyond its first one:
 * the worker kept it through more than one lease while alive. Embedded: the Job row's leaseUntil;
 * pg-boss: the job's heartbeat_on against its started_on.
 */
async function leaseOutlived(backend: Backend, t: TestDb): Promise<void> {
  if (backend.name.startsWith("embedded")) {
    const job = () => t.db.job.findFirstOrThrow({ where: { payload: { contains: "survivor" } } });
    const first = (await job()).leaseUntil!.getTime();
    await until(async () => (await job()).leaseUntil!.getTime() >= first + 2 * HANGING_LEASE_MS);
    return;
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await until(async () => {
      const { rows } = await client.query<{ held: number }>(
        `SELECT extract(epoch FROM heartbeat_on - started_on) AS held FROM pgboss.job
          WHERE name = 'grading' AND state = 'active' AND data->>'submissionId' = 'survivor'`,
      );
      return rows.length === 1 && Number(rows[0].held) > HANGING_LEASE_SECONDS + 1;
    });
  } finally {
    await client.end();
  }
}

/** Resolves when `predicate` holds, checking after every handled job. */
function waitFor(predicate: () => boolean, signal: { notify?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (predicate()) resolve();
    };
    signal.notify = check;
    check();
  });
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(`queue: ${backend.name}`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const step of cleanup.reverse()) await step();
      cleanup.length = 0;
    });

    async function setup() {
      const t = await backend.database();
      const queue = await backend.open(t);
      cleanup.push(
        () => t.drop(),
        () => queue.close(),
      );
      return { t, queue };
    }

    it("two workers handle 20 jobs, each exactly once", async () => {
      const { queue } = await setup();
      const handled: string[] = [];
      const signal: { notify?: () => void } = {};
      const handler = async (payload: GradingJobPayload) => {
        handled.push(payload.submissionId);
        signal.notify?.();
      };
      const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
      const workers = await Promise.all(
        ["w1", "w2"].map((workerId) =>
          queue.startWorker(handler, { workerId, concurrency: 2, leaseMs: 10_000, pollMs: 100 }),
        ),
      );
      cleanup.push(async () => {
        await Promise.all(workers.map((worker) => worker.stop()));
      });
      for (const submissionId of ids) await queue.enqueue({ submissionId });
      await waitFor(() => handled.length >= ids.length, signal);
      await Promise.all(workers.map((worker) => worker.stop()));
      expect([...handled].sort()).toEqual([...ids].sort());
    });

    it("a job whose worker is killed with SIGKILL is retried by another worker, and not while it lives", async () => {
      const { t, queue } = await setup();
      await queue.enqueue({ submissionId: "survivor" });
      // node --import tsx (not the tsx CLI, which would put a second process between us and the worker).
      const doomed = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          projectPath("tests/lib/queue/hanging-worker.ts"),
          backend.name.startsWith("embedded") ? "embedded" : "pg-boss",
          t.url,
        ],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const claimed = await new Promise<string>((resolve, reject) => {
        doomed.stdout.on("data", (chunk: Buffer) => resolve(chunk.toString()));
        doomed.once("exit", (code) => reject(new Error(`hanging worker exited early (${code})`)));
      });
      expect(claimed).toContain("claimed survivor attempt 1");

      // Another worker looks for work all along.
      const contexts: JobContext[] = [];
      const signal: { notify?: () => void } = {};
      const worker = await queue.startWorker(
        async (payload, context) => {
          if (payload.submissionId === "survivor") contexts.push(context);
          signal.notify?.();
        },
        { workerId: "rescuer", concurrency: 1, leaseMs: HANGING_LEASE_MS, pollMs: 200 },
      );
      cleanup.push(() => worker.stop());

      // Alive, the hanging worker keeps its job beyond a whole lease: nobody else gets it.
      await leaseOutlived(backend, t);
      expect(contexts).toHaveLength(0);

      const gone = new Promise((resolve) => doomed.once("exit", resolve));
      doomed.kill("SIGKILL");
      await gone;
      // Dead, its lease runs out and the job goes to the other worker, as its second attempt.
      await waitFor(() => contexts.length === 1, signal);
      expect(contexts[0]).toMatchObject({ attempt: 2, workerId: "rescuer" });
      await worker.stop();
      expect(contexts).toHaveLength(1);
    });
  });
}

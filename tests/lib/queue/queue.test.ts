import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { projectPath } from "../../../lib/paths.ts";
import { DbJobQueue } from "../../../lib/queue/db-queue.ts";
import { PgBossJobQueue } from "../../../lib/queue/pgboss-queue.ts";
import type { GradingJobPayload, JobContext, JobQueue } from "../../../lib/queue/types.ts";
import { freshPostgres, freshSqlite, postgresAvailable, type TestDb } from "../../helpers/test-db.ts";

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
    open: (t) =>
      PgBossJobQueue.connect({ connectionString: t.url, superviseIntervalSeconds: 1, expireInSeconds: 2 }),
  },
];

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

    it("a job whose worker is killed with SIGKILL is retried by another worker", async () => {
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
      const gone = new Promise((resolve) => doomed.once("exit", resolve));
      doomed.kill("SIGKILL");
      await gone;

      const contexts: JobContext[] = [];
      const signal: { notify?: () => void } = {};
      const worker = await queue.startWorker(
        async (payload, context) => {
          if (payload.submissionId === "survivor") contexts.push(context);
          signal.notify?.();
        },
        { workerId: "rescuer", concurrency: 1, leaseMs: 1500, pollMs: 200 },
      );
      cleanup.push(() => worker.stop());
      await waitFor(() => contexts.length === 1, signal);
      expect(contexts[0]).toMatchObject({ attempt: 2, workerId: "rescuer" });
      await worker.stop();
      expect(contexts).toHaveLength(1);
    });
  });
}

// The grading worker end to end, with the real engine and the real sandbox, on each queue backend:
// every submission graded exactly once with numbered events; a worker killed mid-job is replaced and
// the result is written once; an infra error is retried and does not count.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { projectPath } from "../../../lib/paths.ts";
import { DbJobQueue } from "../../../lib/queue/db-queue.ts";
import { PgBossJobQueue } from "../../../lib/queue/pgboss-queue.ts";
import type { JobQueue } from "../../../lib/queue/types.ts";
import { createSubmission } from "../../../lib/submissions/create.ts";
import { waitForSubmission } from "../../../lib/submissions/notify.ts";
import { eventsAfter } from "../../../lib/submissions/queries.ts";
import { gradeWithEngine } from "../../../lib/worker/engine.ts";
import type { Grader } from "../../../lib/worker/grade-job.ts";
import { startGradingWorker } from "../../../lib/worker/run-worker.ts";
import { freshPostgres, freshSqlite, postgresAvailable, type TestDb } from "../../helpers/test-db.ts";

const solution = (lang: "python" | "typescript") =>
  readFileSync(
    projectPath(`labs/hello-server/solution/${lang}/server.${lang === "python" ? "py" : "ts"}`),
    "utf8",
  );
const starter = readFileSync(projectPath("labs/hello-server/starter/python/server.py"), "utf8");

interface Backend {
  name: string;
  available: boolean;
  database: () => Promise<TestDb>;
  open: (t: TestDb) => Promise<JobQueue>;
  child: "embedded" | "pg-boss";
}

const backends: Backend[] = [
  {
    name: "embedded (SQLite)",
    available: true,
    database: freshSqlite,
    open: async (t) => new DbJobQueue(t.db),
    child: "embedded",
  },
  {
    name: "embedded (PostgreSQL)",
    available: postgresAvailable,
    database: freshPostgres,
    open: async (t) => new DbJobQueue(t.db),
    child: "embedded",
  },
  {
    name: "pg-boss",
    available: postgresAvailable,
    database: freshPostgres,
    // pg-boss's shortest lease (heartbeats), the production backstop expiry: only a lost heartbeat
    // hands the killed worker's job on.
    open: (t) =>
      PgBossJobQueue.connect({ connectionString: t.url, superviseIntervalSeconds: 1, leaseSeconds: 10 }),
    child: "pg-boss",
  },
];

/** Waits (on the worker's notifications, with a poll fallback) until the submission is graded. */
async function graded(t: TestDb, id: string) {
  for (;;) {
    const row = await t.db.submission.findUniqueOrThrow({ where: { id } });
    if (row.status === "done" || row.status === "error") return row;
    await waitForSubmission(id, 500);
  }
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(`grading worker: ${backend.name}`, () => {
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
      const user = await t.db.user.create({ data: { email: `learner-${Date.now()}@example.com` } });
      const others = await Promise.all(
        [1, 2].map((i) => t.db.user.create({ data: { email: `other-${i}-${Date.now()}@example.com` } })),
      );
      const submit = (
        userId: string,
        files: Record<string, string>,
        lang: "python" | "typescript" = "python",
        kind: "run" | "submit" = "submit",
      ) =>
        createSubmission(
          t.db,
          {
            userId,
            labId: "hello-server",
            lang,
            kind,
            files: { [lang === "python" ? "server.py" : "server.ts"]: files.server },
            idempotencyKey: `k-${Math.random().toString(36).slice(2)}`,
          },
          { enqueue: async (submissionId) => void (await queue.enqueue({ submissionId })) },
        );
      return { t, queue, user, others, submit };
    }

    async function worker(t: TestDb, queue: JobQueue, grade: Grader = gradeWithEngine, leaseMs = 60_000) {
      const running = await startGradingWorker({
        db: t.db,
        queue,
        grade,
        leaseMs,
        pollMs: 100,
        sweepEveryMs: 0,
        name: "test",
      });
      cleanup.push(() => running.stop());
      return running;
    }

    it("grades passing and failing code once each, with numbered events ending in finished", async () => {
      const { t, queue, user, others, submit } = await setup();
      const passing = await submit(user.id, { server: solution("python") });
      const failing = await submit(others[0].id, { server: starter });
      const typescript = await submit(others[1].id, { server: solution("typescript") }, "typescript");
      await worker(t, queue);
      const rows = await Promise.all([passing, failing, typescript].map((s) => graded(t, s.id)));
      expect(rows.map((r) => [r.status, r.verdict])).toEqual([
        ["done", "passed"],
        ["done", "checks-failed"],
        ["done", "passed"],
      ]);
      for (const row of rows) {
        const events = await eventsAfter(t.db, row.id, 0, 10_000);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        expect(events[0].data).toEqual({ type: "attempt", attempt: 1 });
        expect(events.filter((e) => e.data.type === "finished")).toHaveLength(1);
        expect(events.at(-1)?.data.type).toBe("finished");
        const started = events.find((e) => e.data.type === "started")?.data;
        const finishedChecks = events.filter((e) => e.data.type === "check-finished");
        // Planned lists every check of the lab; those that do not apply to this server are left out.
        expect(started && "checks" in started ? started.checks.length : -1).toBeGreaterThanOrEqual(
          finishedChecks.length,
        );
        const total = finishedChecks.map((e) => (e.data.type === "check-finished" ? e.data.total : -1));
        expect(new Set(total)).toEqual(new Set([finishedChecks.length]));
        expect(events.some((e) => e.data.type === "trace")).toBe(true);
        expect(JSON.parse(row.result ?? "{}").checks).toHaveLength(finishedChecks.length);
      }
      // The failing starter writes a banner to stdout: it is in the live trace as noise.
      const failingEvents = await eventsAfter(t.db, failing.id, 0, 10_000);
      const noise = failingEvents
        .flatMap((e) => (e.data.type === "trace" ? e.data.entries : []))
        .filter((x) => "stdout" in x);
      expect(noise.length).toBeGreaterThan(0);
    });

    it("a worker killed mid-job: another attempt grades it, the result is written once", async () => {
      const { t, queue, user, submit } = await setup();
      const sub = await submit(user.id, { server: solution("python") });
      const doomed = spawn(
        process.execPath,
        ["--import", "tsx", projectPath("tests/lib/worker/doomed-grader.ts"), backend.child, t.url],
        {
          stdio: ["ignore", "pipe", "inherit"],
          env: { ...process.env, LOG_LEVEL: "warn" },
        },
      );
      cleanup.push(async () => {
        if (doomed.exitCode === null && doomed.signalCode === null) doomed.kill("SIGKILL");
      });
      await new Promise<void>((resolve, reject) => {
        let out = "";
        doomed.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("first check finished")) resolve();
        });
        doomed.once("exit", (code) => reject(new Error(`doomed worker exited early (${code})`)));
      });
      expect((await t.db.submission.findUniqueOrThrow({ where: { id: sub.id } })).status).toBe("running");
      const gone = new Promise((resolve) => doomed.once("exit", resolve));
      doomed.kill("SIGKILL");
      await gone;

      await worker(t, queue, gradeWithEngine, 1500);
      const row = await graded(t, sub.id);
      expect([row.status, row.verdict]).toEqual(["done", "passed"]);
      const events = await eventsAfter(t.db, sub.id, 0, 10_000);
      expect(events.filter((e) => e.data.type === "attempt").map((e) => e.data)).toEqual([
        { type: "attempt", attempt: 1 },
        { type: "attempt", attempt: 2 },
      ]);
      expect(events.filter((e) => e.data.type === "finished")).toHaveLength(1);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    });

    it("an infra error is retried and does not count", async () => {
      const { t, queue, user, submit } = await setup();
      const sub = await submit(user.id, { server: solution("python") });
      let calls = 0;
      // The first attempt meets a host without bwrap (a real engine infra error); the retry is healthy.
      const grade: Grader = (request) => {
        calls++;
        if (calls > 1) return gradeWithEngine(request);
        return import("../../../conformance/grade.ts").then(({ gradeSubmission }) =>
          gradeSubmission({
            ...request,
            labsRoot: projectPath("labs"),
            sandboxOptions: { bwrapPath: "/nonexistent/bwrap" },
          }),
        );
      };
      await worker(t, queue, grade);
      const row = await graded(t, sub.id);
      expect([row.status, row.verdict]).toEqual(["done", "passed"]);
      const types = (await eventsAfter(t.db, sub.id, 0, 10_000)).map((e) => e.data.type);
      expect(types.filter((type) => type === "retrying")).toHaveLength(1);
      expect(types.filter((type) => type === "finished")).toHaveLength(1);
      expect(calls).toBe(2);
    });
  });
}

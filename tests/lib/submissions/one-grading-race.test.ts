// One grading at a time per learner holds under a race: requests with different idempotency keys
// (two tabs, a script) sent at once end with exactly one submission queued and the others refused with
// 409 GRADING_IN_PROGRESS naming it. Through one client (one app process), and through two app
// processes on the same database (two clients in this process on PostgreSQL; on SQLite two child
// processes, since the SQLite driver waits for a lock synchronously, which two clients in one thread
// cannot do), on SQLite and on PostgreSQL when TEST_POSTGRES_URL is set.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db, providerOf } from "../../../lib/db/client.ts";
import { HttpError } from "../../../lib/http/errors.ts";
import { projectPath } from "../../../lib/paths.ts";
import { createSubmission } from "../../../lib/submissions/create.ts";
import { databaseKinds, type TestDb } from "../../helpers/test-db.ts";

const ROUNDS = 5;

for (const { kind, create } of databaseKinds) {
  describe(`one grading at a time under a race, on ${kind}`, () => {
    let t: TestDb;
    let other: Db;
    beforeAll(async () => {
      t = await create();
      other = connectDb(t.url);
    });
    afterAll(async () => {
      await other?.$disconnect();
      await t?.drop();
    });

    it("knows which database it is on", () => {
      expect(providerOf(t.db)).toBe(kind);
    });

    async function race(clients: Db[], requests: number) {
      const user = await t.db.user.create({ data: { email: `racer-${Math.random()}@example.com` } });
      const enqueued: string[] = [];
      const outcomes = await Promise.allSettled(
        Array.from({ length: requests }, (_, i) =>
          createSubmission(
            clients[i % clients.length],
            {
              userId: user.id,
              labId: "hello-server",
              lang: "python",
              kind: "run",
              files: { "server.py": `print(${i})\n` },
              idempotencyKey: `race-${i}-${user.id}`,
            },
            { enqueue: async (id) => void enqueued.push(id) },
          ),
        ),
      );
      const created = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
      const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
      expect(created, JSON.stringify(refused)).toHaveLength(1);
      expect(created[0].created).toBe(true);
      for (const error of refused) {
        expect(error).toBeInstanceOf(HttpError);
        const refusal = error as HttpError;
        expect([refusal.status, refusal.code]).toEqual([409, "GRADING_IN_PROGRESS"]);
        expect(refusal.extra.submissionId).toBe(created[0].id);
      }
      expect(refused).toHaveLength(requests - 1);
      expect(enqueued).toEqual([created[0].id]);
      expect(await t.db.submission.count({ where: { userId: user.id } })).toBe(1);
    }

    it("two different keys at once, one client: exactly one queued, the other GRADING_IN_PROGRESS", async () => {
      for (let round = 0; round < ROUNDS; round++) await race([t.db], 2);
    });

    it.skipIf(kind !== "postgresql")(
      "two different keys at once, two clients (two app processes): the same",
      async () => {
        for (let round = 0; round < ROUNDS; round++) await race([t.db, other], 2);
        await race([t.db, other], 4);
      },
    );

    it("two different keys at once from two processes: exactly one queued", async () => {
      for (let round = 0; round < 2; round++) {
        const user = await t.db.user.create({ data: { email: `proc-${Math.random()}@example.com` } });
        const children = [1, 2].map((i) => {
          const child = spawn(
            process.execPath,
            [
              "--import",
              "tsx",
              projectPath("tests/lib/submissions/race-child.ts"),
              t.url,
              user.id,
              `proc-${i}-${user.id}`,
            ],
            { stdio: ["pipe", "pipe", "inherit"] },
          );
          const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
          // The next line of ours ("ready", "outcome {...}"), past the app's log lines.
          const next = async (): Promise<string> => {
            for (;;) {
              const { value, done } = await lines.next();
              if (done) throw new Error("the child ended without answering");
              if (!(value as string).startsWith("{")) return value as string;
            }
          };
          return { child, next };
        });
        // Both connected and waiting; then both go at once.
        expect(await Promise.all(children.map((c) => c.next()))).toEqual(["ready", "ready"]);
        for (const c of children) c.child.stdin.end("go\n");
        const outcomes = (await Promise.all(children.map((c) => c.next()))).map(
          (line) =>
            JSON.parse(line.replace(/^outcome /, "")) as {
              id?: string;
              created?: boolean;
              status?: number;
              code?: string;
              submissionId?: string;
            },
        );
        await Promise.all(
          children.map((c) =>
            c.child.exitCode === null ? new Promise((r) => c.child.once("exit", r)) : null,
          ),
        );
        const created = outcomes.filter((o) => o.created === true);
        const refused = outcomes.filter((o) => o.code !== undefined);
        expect(created, JSON.stringify(outcomes)).toHaveLength(1);
        expect(refused).toEqual([{ status: 409, code: "GRADING_IN_PROGRESS", submissionId: created[0].id }]);
        expect(await t.db.submission.count({ where: { userId: user.id } })).toBe(1);
      }
    });
  });
}

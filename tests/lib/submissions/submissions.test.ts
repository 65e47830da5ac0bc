// The submission path against real databases (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set):
// idempotent creation, one grading at a time, the rate limit, ownership, the result written once, and
// the SSE replay.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubmission, type NewSubmission } from "../../../lib/submissions/create.ts";
import {
  eventsAfter,
  ownSubmission,
  queuePosition,
  submissionDetail,
} from "../../../lib/submissions/queries.ts";
import { submissionEventStream } from "../../../lib/submissions/sse.ts";
import {
  appendEvents,
  claimSubmission,
  failStale,
  finishOnce,
  releaseForRetry,
} from "../../../lib/submissions/store.ts";
import { gradeResultWith } from "../../helpers/grade-result.ts";
import { refusal } from "../../helpers/http-refusal.ts";
import { databaseKinds, type TestDb } from "../../helpers/test-db.ts";

const STARTER = { "server.py": "print('hello')\n" };

async function readStream(
  stream: ReadableStream<Uint8Array>,
): Promise<Array<{ id?: number; data: { type: string } }>> {
  const text = await new Response(stream).text();
  return text
    .split("\n\n")
    .filter((frame) => frame.includes("data: "))
    .map((frame) => {
      const id = /^id: (\d+)$/m.exec(frame)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as { type: string };
      return { ...(id ? { id: Number(id) } : {}), data };
    });
}

for (const { kind, create } of databaseKinds) {
  describe(`submissions on ${kind}`, () => {
    let t: TestDb;
    let alice: string;
    let bob: string;
    let enqueued: string[];
    const enqueue = async (id: string) => {
      enqueued.push(id);
    };
    let n = 0;
    const input = (userId: string, overrides: Partial<NewSubmission> = {}): NewSubmission => ({
      userId,
      labId: "hello-server",
      lang: "python",
      kind: "run",
      files: STARTER,
      idempotencyKey: `key-${++n}-abcdefgh`,
      ...overrides,
    });
    /** Ends a learner's queued submission so the next one may start. */
    async function finish(id: string) {
      const outcome = await claimSubmission(t.db, id);
      if (!("claimed" in outcome)) throw new Error("not claimed");
      expect(await finishOnce(t.db, outcome.claimed, gradeResultWith())).toBe(true);
    }

    beforeAll(async () => {
      t = await create();
      alice = (await t.db.user.create({ data: { email: "alice@example.com" } })).id;
      bob = (await t.db.user.create({ data: { email: "bob@example.com" } })).id;
    });
    afterAll(async () => {
      await t?.drop();
    });

    it("the same idempotency key grades once, even when both requests race", async () => {
      enqueued = [];
      const same = input(alice);
      const [a, b] = await Promise.all([
        createSubmission(t.db, same, { enqueue }),
        createSubmission(t.db, same, { enqueue }),
      ]);
      expect(a.id).toBe(b.id);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      const again = await createSubmission(t.db, same, { enqueue });
      expect(again).toMatchObject({ id: a.id, created: false });
      expect(enqueued).toEqual([a.id]);
      expect(await t.db.submission.count({ where: { userId: alice } })).toBe(1);

      const reused = await refusal(
        createSubmission(t.db, { ...same, files: { "server.py": "other" } }, { enqueue }),
      );
      expect([reused.status, reused.code]).toEqual([409, "IDEMPOTENCY_KEY_REUSED"]);
      await finish(a.id);
    });

    it("one grading at a time per learner, with the running one named", async () => {
      const first = await createSubmission(t.db, input(alice), { enqueue });
      const second = await refusal(createSubmission(t.db, input(alice), { enqueue }));
      expect([second.status, second.code]).toEqual([409, "GRADING_IN_PROGRESS"]);
      expect(second.extra.submissionId).toBe(first.id);
      // Another learner is not held up.
      const other = await createSubmission(t.db, input(bob), { enqueue });
      expect(other.created).toBe(true);
      expect(await queuePosition(t.db, { ...(await ownSubmission(t.db, bob, other.id)) })).toBe(2);
      await finish(first.id);
      await finish(other.id);
    });

    it("an instructor's regrade in the queue does not hold up the learner", async () => {
      const erin = (await t.db.user.create({ data: { email: "erin@example.com" } })).id;
      const original = await createSubmission(t.db, input(erin), { enqueue });
      await finish(original.id);
      const regrade = await t.db.submission.create({
        data: {
          userId: erin,
          labId: "hello-server",
          lang: "python",
          kind: "run",
          files: JSON.stringify(STARTER),
          seed: 1,
          idempotencyKey: `regrade:batch:${original.id}`,
          regradeOfId: original.id,
        },
      });
      const own = await createSubmission(t.db, input(erin), { enqueue });
      expect(own.created).toBe(true);
      await finish(own.id);
      await finish(regrade.id);
    });

    it("refuses bad input before storing anything", async () => {
      const before = await t.db.submission.count();
      const unknown = await refusal(
        createSubmission(t.db, input(alice, { labId: "no-such-lab" }), { enqueue }),
      );
      expect([unknown.status, unknown.code]).toEqual([404, "UNKNOWN_LAB"]);
      const big = await refusal(
        createSubmission(t.db, input(alice, { files: { "server.py": "x".repeat(300 * 1024) } }), { enqueue }),
      );
      expect([big.status, big.code]).toEqual([413, "FILES_TOO_LARGE"]);
      expect(big.message).toMatch(/at most 256 KB/);
      const noEntry = await refusal(
        createSubmission(t.db, input(alice, { files: { "main.py": "" } }), { enqueue }),
      );
      expect([noEntry.status, noEntry.code]).toEqual([400, "ENTRY_MISSING"]);
      expect(await t.db.submission.count()).toBe(before);
    });

    it("rate-limits gradings per learner with a clear message", async () => {
      const carol = (await t.db.user.create({ data: { email: "carol@example.com" } })).id;
      const rateLimit = { limit: 2, windowMs: 60_000 };
      // One clock for all three, so they fall in one fixed window whenever the test runs.
      const now = new Date();
      for (let i = 0; i < 2; i++)
        await finish((await createSubmission(t.db, input(carol), { enqueue, rateLimit, now })).id);
      const before = await t.db.submission.count({ where: { userId: carol } });
      const limited = await refusal(createSubmission(t.db, input(carol), { enqueue, rateLimit, now }));
      expect([limited.status, limited.code]).toEqual([429, "RATE_LIMITED"]);
      expect(limited.message).toMatch(/Try again in \d+ s/);
      expect(await t.db.submission.count({ where: { userId: carol } })).toBe(before);
    });

    it("another learner's submission is not found, and its code never leaves", async () => {
      const mine = await createSubmission(t.db, input(alice, { files: { "server.py": "SECRET = 1\n" } }), {
        enqueue,
      });
      const notFound = await refusal(submissionDetail(t.db, bob, mine.id));
      expect([notFound.status, notFound.code]).toEqual([404, "NOT_FOUND"]);
      expect(notFound.message).not.toContain("SECRET");
      expect((await submissionDetail(t.db, alice, mine.id)).files["server.py"]).toBe("SECRET = 1\n");
      await finish(mine.id);
    });

    it("a lost attempt can no longer write: the result is written exactly once", async () => {
      const sub = await createSubmission(t.db, input(alice), { enqueue });
      const first = await claimSubmission(t.db, sub.id);
      if (!("claimed" in first)) throw new Error("first claim failed");
      expect(await appendEvents(t.db, first.claimed, [{ type: "attempt", attempt: 1 }])).toBe(true);
      // The first worker is presumed dead (its lease ran out); a second attempt takes over.
      const second = await claimSubmission(t.db, sub.id);
      if (!("claimed" in second)) throw new Error("second claim failed");
      expect(second.claimed.nextSeq).toBe(2);
      expect(await appendEvents(t.db, first.claimed, [{ type: "log", message: "zombie" }])).toBe(false);
      expect(await appendEvents(t.db, second.claimed, [{ type: "attempt", attempt: 2 }])).toBe(true);
      expect(await finishOnce(t.db, second.claimed, gradeResultWith({ score: 1 }))).toBe(true);
      expect(await finishOnce(t.db, first.claimed, gradeResultWith({ score: 0 }))).toBe(false);
      expect(await finishOnce(t.db, second.claimed, gradeResultWith({ score: 0 }))).toBe(false);
      expect(await claimSubmission(t.db, sub.id)).toEqual({ skipped: "already-graded" });
      const events = await eventsAfter(t.db, sub.id, 0);
      expect(events.map((e) => [e.seq, e.data.type])).toEqual([
        [1, "attempt"],
        [2, "attempt"],
        [3, "finished"],
      ]);
      const row = await ownSubmission(t.db, alice, sub.id);
      expect([row.status, row.verdict, row.score]).toEqual(["done", "passed", 1]);
    });

    it("an infra error hands the submission back to the queue", async () => {
      const sub = await createSubmission(t.db, input(alice), { enqueue });
      const claim = await claimSubmission(t.db, sub.id);
      if (!("claimed" in claim)) throw new Error("claim failed");
      expect(await releaseForRetry(t.db, claim.claimed, "sandbox unavailable")).toBe(true);
      expect((await ownSubmission(t.db, alice, sub.id)).status).toBe("queued");
      const retry = await claimSubmission(t.db, sub.id);
      if (!("claimed" in retry)) throw new Error("retry claim failed");
      expect(
        await finishOnce(
          t.db,
          retry.claimed,
          gradeResultWith({ status: "fail", verdict: "checks-failed", score: 1 }),
        ),
      ).toBe(true);
      const detail = await submissionDetail(t.db, alice, sub.id);
      expect([detail.status, detail.verdict, detail.counts]).toEqual(["done", "checks-failed", true]);
    });

    it("lost submissions end as infra-error and do not count", async () => {
      const sub = await createSubmission(t.db, input(alice), { enqueue });
      const later = new Date(Date.now() + 16 * 60_000);
      expect(await failStale(t.db, later)).toBe(1);
      const detail = await submissionDetail(t.db, alice, sub.id);
      expect([detail.status, detail.verdict, detail.counts]).toEqual(["error", "infra-error", false]);
      expect(detail.message).toMatch(/does not count/);
      expect((await eventsAfter(t.db, sub.id, 0)).at(-1)?.data.type).toBe("finished");
    });

    it("the event stream replays from Last-Event-ID and ends after finished", async () => {
      const sub = await createSubmission(t.db, input(alice), { enqueue });
      const claim = await claimSubmission(t.db, sub.id);
      if (!("claimed" in claim)) throw new Error("claim failed");
      await appendEvents(t.db, claim.claimed, [
        { type: "attempt", attempt: 1 },
        { type: "phase", phase: "starting-server" },
        { type: "stderr", chunk: "booting\n" },
      ]);
      await finishOnce(t.db, claim.claimed, gradeResultWith());
      const all = await readStream(submissionEventStream(t.db, sub.id, 0, new AbortController().signal));
      expect(all.map((f) => [f.id, f.data.type])).toEqual([
        [1, "attempt"],
        [2, "phase"],
        [3, "stderr"],
        [4, "finished"],
      ]);
      const resumed = await readStream(submissionEventStream(t.db, sub.id, 2, new AbortController().signal));
      expect(resumed.map((f) => f.id)).toEqual([3, 4]);
    });

    it("a waiting submission's stream reports its queue position, then its events", async () => {
      const dave = (await t.db.user.create({ data: { email: "dave@example.com" } })).id;
      const sub = await createSubmission(t.db, input(dave), { enqueue });
      const stream = submissionEventStream(t.db, sub.id, 0, new AbortController().signal);
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      const read = async () => {
        const chunk = await reader.read();
        return { done: chunk.done, value: chunk.value ? decoder.decode(chunk.value) : "" };
      };
      let seen = "";
      while (!seen.includes('"type":"queue"')) seen += (await read()).value;
      expect(seen).toMatch(/"type":"queue","status":"queued","position":1/);
      await finish(sub.id);
      while (!seen.includes('"type":"finished"')) {
        const { value, done } = await read();
        if (done) break;
        seen += value;
      }
      expect(seen).toMatch(/id: 1\ndata: \{"type":"finished"/);
      expect((await read()).done).toBe(true);
    });
  });
}

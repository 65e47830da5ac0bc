// The lab page's reducer over a grading's event stream (lib/submissions/live-run.ts): events replayed
// after a reconnect are not applied twice, a new attempt or a retry starts the view over, queue frames
// (no id) never move the replay point; and a stream dropped mid-run and resumed from its last id
// (the real SSE stream on SQLite) folds to the same view as one unbroken stream.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult, TraceEntry } from "../../../conformance/result.ts";
import type { SubmissionEventData } from "../../../lib/submissions/events.ts";
import {
  describeProgress,
  LIVE_TRACE_CAP,
  type LiveRun,
  newLiveRun,
  reduceRun,
  type StreamEvent,
} from "../../../lib/submissions/live-run.ts";
import { submissionEventStream } from "../../../lib/submissions/sse.ts";
import { appendEvents, claimSubmission, finishOnce } from "../../../lib/submissions/store.ts";
import { gradeResultWith } from "../../helpers/grade-result.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";

function check(id: string, status: CheckResult["status"]): CheckResult {
  return { id, title: id, severity: "must", status, message: `${id}: ${status}`, durationMs: 3 };
}

const traceEntry = (method: string, t: number): TraceEntry => ({
  dir: "c2s",
  t,
  msg: { jsonrpc: "2.0", id: t, method },
});

/** One attempt of a run, numbered from `from`: [seq, event]. */
function attemptEvents(attempt: number, from = 1): Array<[number, SubmissionEventData]> {
  const events: SubmissionEventData[] = [
    { type: "attempt", attempt },
    {
      type: "started",
      seed: 7,
      checks: [
        { id: "initialize", title: "initialize", severity: "must" },
        { id: "tools-list", title: "tools/list", severity: "must" },
      ],
    },
    { type: "phase", phase: "starting-server" },
    { type: "stderr", chunk: "booting\n" },
    { type: "phase", phase: "running-checks" },
    { type: "check-started", id: "initialize", title: "initialize", index: 0, total: 2 },
    { type: "trace", entries: [traceEntry("initialize", 1)] },
    { type: "check-finished", index: 0, total: 2, result: check("initialize", "pass") },
    { type: "check-started", id: "tools-list", title: "tools/list", index: 1, total: 2 },
    { type: "trace", entries: [traceEntry("tools/list", 2)] },
    { type: "stderr", chunk: "listed\n" },
    { type: "check-finished", index: 1, total: 2, result: check("tools-list", "fail") },
  ];
  return events.map((event, i) => [from + i, event]);
}

const finished: SubmissionEventData = {
  type: "finished",
  status: "fail",
  verdict: "checks-failed",
  score: 1,
  maxScore: 2,
  message: "1 of 2 checks failed",
};

function fold(run: LiveRun, events: Array<[number | undefined, StreamEvent]>): LiveRun {
  return events.reduce((state, [seq, event]) => reduceRun(state, event, seq), run);
}

describe("reduceRun", () => {
  const stream = [...attemptEvents(1), [13, finished]] as Array<[number, SubmissionEventData]>;
  const whole = fold(newLiveRun("s1"), stream);

  it("folds a whole run: planned checks, each result, trace, stderr, the end", () => {
    expect(whole.state).toBe("finished");
    expect(whole.checks.map((c) => c?.status)).toEqual(["pass", "fail"]);
    expect(whole.trace).toHaveLength(2);
    expect(whole.stderr).toBe("booting\nlisted\n");
    expect(whole.lastSeq).toBe(13);
    expect(whole.finished?.score).toBe(1);
    expect(describeProgress(whole)).toBe("Finished");
  });

  it.each([1, 4, 9, 10])(
    "events replayed after a reconnect (from seq %i) are not applied twice",
    (replayFrom) => {
      const cut = 9; // the connection dropped after seq 9
      const before = fold(newLiveRun("s1"), stream.slice(0, cut));
      expect(before.lastSeq).toBe(cut);
      // The server resends from replayFrom (10: exactly after Last-Event-ID; lower: an older id, overlap).
      const after = fold(
        before,
        stream.filter(([seq]) => seq >= replayFrom),
      );
      expect(after).toEqual(whole);
    },
  );

  it("queue frames carry no id: they never move the replay point, and never undo an end", () => {
    const queued = fold(newLiveRun("s1"), [
      [undefined, { type: "queue", position: 2, status: "queued" }],
      [undefined, { type: "queue", position: 1, status: "queued" }],
    ]);
    expect([queued.state, queued.position, queued.lastSeq]).toEqual(["queued", 1, 0]);
    expect(describeProgress(queued)).toBe("Queued (position 1)");
    const mid = fold(queued, [
      ...stream.slice(0, 6),
      [undefined, { type: "queue", position: 0, status: "running" }],
    ]);
    expect(mid.lastSeq).toBe(6);
    expect(describeProgress(mid)).toBe("Running check 1/2: initialize");
    const late = reduceRun(whole, { type: "queue", position: 0, status: "running" });
    expect(late).toBe(whole);
  });

  it("a new attempt starts the view over; the lost attempt's replayed events stay out", () => {
    const lost = fold(newLiveRun("s1"), attemptEvents(1).slice(0, 10)); // died mid tools/list
    expect(lost.stderr).toBe("booting\n");
    const retried = reduceRun(lost, { type: "attempt", attempt: 2 }, 11);
    expect(retried).toMatchObject({
      attempt: 2,
      state: "running",
      checks: [],
      trace: [],
      stderr: "",
      planned: [],
      current: null,
      lastSeq: 11,
    });
    // A reconnect that replays the lost attempt's events changes nothing.
    expect(fold(retried, attemptEvents(1).slice(0, 10))).toEqual(retried);
    // The second attempt then runs to the end on its own events only.
    const second = fold(retried, [...attemptEvents(2, 11).slice(1), [23, finished]]);
    expect(second.attempt).toBe(2);
    expect(second.stderr).toBe("booting\nlisted\n");
    expect(second.trace).toHaveLength(2);
    expect(second.checks.map((c) => c?.status)).toEqual(["pass", "fail"]);
    expect(second.state).toBe("finished");
  });

  it("a retry after a grader error empties the view and says so", () => {
    const partial = fold(newLiveRun("s1"), attemptEvents(1).slice(0, 8));
    const retrying = reduceRun(partial, { type: "retrying", message: "sandbox failed" }, 9);
    expect(retrying).toMatchObject({ state: "queued", retrying: "sandbox failed", checks: [], lastSeq: 9 });
    expect(describeProgress(retrying)).toBe("Retrying after a grader error. Queued");
    const again = reduceRun(retrying, { type: "started", seed: 1, checks: [] }, 10);
    expect(again.retrying).toBeNull();
  });

  it("caps the live trace and says it was cut", () => {
    const many = Array.from({ length: LIVE_TRACE_CAP + 5 }, (_, i) => traceEntry("ping", i));
    const capped = reduceRun(newLiveRun("s1"), { type: "trace", entries: many }, 1);
    expect(capped.trace).toHaveLength(LIVE_TRACE_CAP);
    expect(capped.traceTruncated).toBe(true);
    const more = reduceRun(capped, { type: "trace", entries: [traceEntry("ping", 1)] }, 2);
    expect(more.trace).toHaveLength(LIVE_TRACE_CAP);
  });
});

// ---- the real stream, dropped mid-run and resumed ----

interface Frame {
  id?: number;
  data: StreamEvent;
}

/** Reads SSE frames from `stream` until `stop` says so (or it ends), then drops the connection. */
async function readFrames(stream: ReadableStream<Uint8Array>, stop: (frames: Frame[]) => boolean) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = "";
  while (!stop(frames)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const text = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(text)?.[1];
      const id = /^id: (\d+)$/m.exec(text)?.[1];
      if (data) frames.push({ ...(id ? { id: Number(id) } : {}), data: JSON.parse(data) as StreamEvent });
      end = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return frames;
}

const foldFrames = (run: LiveRun, frames: Frame[]) =>
  fold(
    run,
    frames.map((f) => [f.id, f.data]),
  );

describe("the SSE stream dropped mid-run (SQLite)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshSqlite();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("resuming from the last id, or from an older one, folds to the unbroken view", async () => {
    const user = await t.db.user.create({ data: { email: "sse@example.com" } });
    const sub = await t.db.submission.create({
      data: {
        userId: user.id,
        labId: "hello-server",
        lang: "python",
        kind: "run",
        files: JSON.stringify({ "server.py": "" }),
        idempotencyKey: "sse-drop-key",
        seed: 7,
      },
    });
    const outcome = await claimSubmission(t.db, sub.id);
    if (!("claimed" in outcome)) throw new Error("not claimed");
    const events = attemptEvents(1).map(([, event]) => event);
    await appendEvents(t.db, outcome.claimed, events.slice(0, 7));

    // The browser reads the first 7 events, then its connection drops.
    const first = await readFrames(
      submissionEventStream(t.db, sub.id, 0, new AbortController().signal),
      (frames) => frames.some((f) => f.id === 7),
    );
    const dropped = foldFrames(newLiveRun(sub.id), first);
    expect(dropped.lastSeq).toBe(7);

    // The run goes on meanwhile and ends.
    await appendEvents(t.db, outcome.claimed, events.slice(7));
    await finishOnce(
      t.db,
      outcome.claimed,
      gradeResultWith({
        seed: 7,
        status: "fail",
        verdict: "checks-failed",
        message: "1 of 2 checks failed",
        score: 1,
      }),
    );

    const untilEnd = (frames: Frame[]) => frames.some((f) => f.data.type === "finished");
    const unbroken = foldFrames(
      newLiveRun(sub.id),
      await readFrames(submissionEventStream(t.db, sub.id, 0, new AbortController().signal), untilEnd),
    );
    expect(unbroken.state).toBe("finished");
    expect(unbroken.stderr).toBe("booting\nlisted\n");

    // EventSource reconnects with Last-Event-ID: 7 ...
    const resumed = await readFrames(
      submissionEventStream(t.db, sub.id, 7, new AbortController().signal),
      untilEnd,
    );
    expect(resumed[0].id).toBe(8);
    expect(foldFrames(dropped, resumed)).toEqual(unbroken);
    // ... and a resume from an older id (overlapping what was shown) changes nothing either.
    const overlapping = await readFrames(
      submissionEventStream(t.db, sub.id, 3, new AbortController().signal),
      untilEnd,
    );
    expect(overlapping[0].id).toBe(4);
    expect(foldFrames(dropped, overlapping)).toEqual(unbroken);
  });
});

// GET /api/submissions/<id>/events as Server-Sent Events: every stored event with `id: <seq>`,
// replayed from Last-Event-ID after a reconnect, and the queue position while it waits. The stream
// ends after `finished` (synthesised from the row when a run ended without one).
import type { Db } from "../db/client.ts";
import type { SubmissionEventData } from "./events.ts";
import { waitForSubmission } from "./notify.ts";
import { eventsAfter, queuePosition } from "./queries.ts";
import { defaultMessage } from "./store.ts";

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

/** What the stream sends besides stored events: the queue position (no id: nothing to replay). */
export type LiveEventData = { type: "queue"; position: number; status: "queued" | "running" };

export function parseLastEventId(header: string | null, query: string | undefined): number {
  const raw = header ?? query ?? "";
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function frame(data: SubmissionEventData | LiveEventData, seq?: number): string {
  return `${seq === undefined ? "" : `id: ${seq}\n`}data: ${JSON.stringify(data)}\n\n`;
}

export function submissionEventStream(
  db: Db,
  submissionId: string,
  afterSeq: number,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let last = afterSeq;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send("retry: 1000\n\n");
      let lastQueue = "";
      let lastBeat = Date.now();
      try {
        while (!signal.aborted) {
          const events = await eventsAfter(db, submissionId, last);
          for (const event of events) {
            send(frame(event.data, event.seq));
            last = event.seq;
            if (event.data.type === "finished") return;
          }
          if (events.length > 0) continue;
          const row = await db.submission.findUnique({
            where: { id: submissionId },
            select: { id: true, status: true, createdAt: true, verdict: true, score: true, maxScore: true },
          });
          if (!row) return;
          if (row.status === "done" || row.status === "error") {
            // Ended, but its finished event may have been written a moment after our read.
            const late = await eventsAfter(db, submissionId, last);
            if (late.length > 0) continue;
            const verdict = (row.verdict ?? "infra-error") as Extract<
              SubmissionEventData,
              { type: "finished" }
            >["verdict"];
            const score = row.score ?? 0;
            const maxScore = row.maxScore ?? 0;
            send(
              frame({
                type: "finished",
                status: row.status === "error" ? "error" : verdict === "passed" ? "pass" : "fail",
                verdict,
                score,
                maxScore,
                message: defaultMessage({ verdict, score, maxScore }),
              }),
            );
            return;
          }
          const queue: LiveEventData = {
            type: "queue",
            status: row.status === "running" ? "running" : "queued",
            position: await queuePosition(db, row),
          };
          const key = JSON.stringify(queue);
          if (key !== lastQueue) {
            send(frame(queue));
            lastQueue = key;
          } else if (Date.now() - lastBeat > HEARTBEAT_MS) {
            send(": keep-alive\n\n");
            lastBeat = Date.now();
          }
          await waitForSubmission(submissionId, POLL_MS, signal);
        }
      } catch (error) {
        if (!signal.aborted) controller.error(error);
        return;
      } finally {
        try {
          controller.close();
        } catch {
          // already closed or errored
        }
      }
    },
  });
}

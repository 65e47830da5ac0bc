"use client";
// Run checks / Submit from the lab page: POST the files with an idempotency key (a double click or a
// network retry grades once), then follow the run over SSE until `finished`, then load the full
// result (trace and stderr included).
import { useCallback, useEffect, useRef, useState } from "react";
import { type LiveRun, newLiveRun, reduceRun, type StreamEvent } from "@/lib/submissions/live-run.ts";
import type { SubmissionDetail, SubmissionSummary } from "@/lib/submissions/queries.ts";
import { api } from "./api-client.ts";

export type Kind = "run" | "submit";

export interface Grading {
  run: LiveRun | null;
  detail: SubmissionDetail | null;
  error: string | null;
  busy: boolean;
  start(kind: Kind, lang: string, files: Record<string, string>): Promise<void>;
  /** Show a submission (from the history, or one already in progress). */
  show(submissionId: string): Promise<void>;
}

interface Created {
  id: string;
  status: string;
  created: boolean;
}

export function useGrading(labId: string, onFinished: (summary: SubmissionSummary) => void): Grading {
  const [run, setRun] = useState<LiveRun | null>(null);
  const [detail, setDetail] = useState<SubmissionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [posting, setPosting] = useState(false);
  const source = useRef<EventSource | null>(null);
  const pending = useRef<{ key: string; body: string } | null>(null);
  const finishedRef = useRef(onFinished);
  useEffect(() => {
    finishedRef.current = onFinished;
  }, [onFinished]);
  useEffect(() => () => source.current?.close(), []);

  const loadDetail = useCallback(async (id: string) => {
    const answer = await api<SubmissionDetail>(`/api/submissions/${id}`);
    if (!answer.ok) {
      setError(answer.error.message);
      return null;
    }
    setDetail(answer.data);
    return answer.data;
  }, []);

  const follow = useCallback(
    (id: string) => {
      source.current?.close();
      setDetail(null);
      setRun(newLiveRun(id));
      const events = new EventSource(`/api/submissions/${id}/events`);
      source.current = events;
      events.onmessage = (message) => {
        let data: StreamEvent;
        try {
          data = JSON.parse(message.data) as StreamEvent;
        } catch {
          return;
        }
        // Events without an id (the queue position) keep the browser's last id: not a seq of theirs.
        const seq = data.type === "queue" || !message.lastEventId ? undefined : Number(message.lastEventId);
        setRun((current) =>
          current && current.submissionId === id ? reduceRun(current, data, seq) : current,
        );
        if (data.type === "finished") {
          events.close();
          if (source.current === events) source.current = null;
          void loadDetail(id).then((loaded) => {
            if (loaded) finishedRef.current(loaded);
          });
        }
      };
      // EventSource reconnects by itself (with Last-Event-ID) after a transient error. It gives up for
      // good (readyState CLOSED) when an answer is not an event stream, e.g. a 401 once the session
      // ended or a 5xx: then read the submission's state once and clear the live run, so busy ends
      // and Run/Submit work again.
      events.onerror = () => {
        if (events.readyState !== EventSource.CLOSED) return;
        if (source.current === events) source.current = null;
        void loadDetail(id).then((loaded) => {
          setRun((current) => (current && current.submissionId === id ? null : current));
          if (!loaded) return; // loadDetail showed why (e.g. "Sign in first.")
          if (loaded.status === "done" || loaded.status === "error") finishedRef.current(loaded);
          else
            setError(
              "The live view of this run was lost; it is still being graded. Press View in the history to follow it again.",
            );
        });
      };
    },
    [loadDetail],
  );

  const show = useCallback(
    async (id: string) => {
      setError(null);
      const loaded = await loadDetail(id);
      if (!loaded) return;
      if (loaded.status === "queued" || loaded.status === "running") follow(id);
      else {
        source.current?.close();
        source.current = null;
        setRun(null);
      }
    },
    [follow, loadDetail],
  );

  const start = useCallback(
    async (kind: Kind, lang: string, files: Record<string, string>) => {
      const body = JSON.stringify({ lang, kind, files });
      // The same intent (same files, request still open or failed on the network) keeps its key.
      if (!pending.current || pending.current.body !== body)
        pending.current = { key: crypto.randomUUID(), body };
      const { key } = pending.current;
      if (posting) return;
      setPosting(true);
      setError(null);
      try {
        const answer = await api<Created>(`/api/labs/${labId}/submissions`, {
          method: "POST",
          headers: { "idempotency-key": key },
          body,
        });
        if (answer.ok) {
          pending.current = null;
          follow(answer.data.id);
          return;
        }
        if (answer.error.status !== 0) pending.current = null;
        const other = answer.error.extra.submissionId;
        if (answer.error.code === "GRADING_IN_PROGRESS" && typeof other === "string") {
          setError(answer.error.message);
          if (answer.error.extra.labId === labId) follow(other);
          return;
        }
        setError(answer.error.message);
      } finally {
        setPosting(false);
      }
    },
    [follow, labId, posting],
  );

  const busy = posting || (run !== null && run.state !== "finished");
  return { run, detail, error, busy, start, show };
}

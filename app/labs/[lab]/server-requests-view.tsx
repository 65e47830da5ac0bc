"use client";
// Requests the learner's server sent the playground's client, waiting for an answer by hand: for
// sampling the learner plays the model (writes its reply, or refuses); for elicitation the learner
// plays the user (fills the form from requestedSchema, or declines/cancels; URL mode shows the URL).
import { useState } from "react";
import type { ServerRequestAnswer, ServerRequestView } from "@/lib/labs/playground-server-requests.ts";
import { SchemaForm } from "./schema-form.tsx";

type Answer = (id: string, answer: ServerRequestAnswer) => void;

/** Whole seconds from `now` until the ISO time `expiresAt` (0 once past). */
export function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.round((new Date(expiresAt).getTime() - now) / 1000));
}

function messageText(content: unknown): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .map((b) => {
      const block = b as { type?: string; text?: string };
      return block.type === "text" ? (block.text ?? "") : `[${block.type ?? "?"} content]`;
    })
    .join("\n");
}

function SamplingRequest(props: {
  request: Extract<ServerRequestView, { method: "sampling/createMessage" }>;
  onAnswer: Answer;
}) {
  const { params, id } = props.request;
  const [text, setText] = useState("");
  return (
    <>
      <p className="small">
        Your server asks the client's model for a completion (at most {params.maxTokens} tokens). Write the
        model's reply, or refuse as a user would.
      </p>
      {params.systemPrompt ? (
        <p className="small">
          system: <code>{params.systemPrompt}</code>
        </p>
      ) : null}
      <ol className="pg-list">
        {params.messages.map((m, i) => (
          // The messages never change while the request waits: their order is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={i}>
            <strong>{m.role}</strong>: <pre className="inline-pre">{messageText(m.content)}</pre>
          </li>
        ))}
      </ol>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) props.onAnswer(id, { action: "reply", text });
        }}
      >
        <label>
          Model reply
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} />
        </label>{" "}
        <button type="submit" className="button small" disabled={!text.trim()}>
          Send reply
        </button>{" "}
        <button
          type="button"
          className="button small secondary"
          onClick={() => props.onAnswer(id, { action: "reject" })}
        >
          Reject
        </button>
      </form>
    </>
  );
}

function ElicitationRequest(props: {
  request: Extract<ServerRequestView, { method: "elicitation/create" }>;
  onAnswer: Answer;
}) {
  const { params, id } = props.request;
  const refuse = (
    <>
      <button
        type="button"
        className="button small secondary"
        onClick={() => props.onAnswer(id, { action: "decline" })}
      >
        Decline
      </button>{" "}
      <button
        type="button"
        className="button small secondary"
        onClick={() => props.onAnswer(id, { action: "cancel" })}
      >
        Cancel
      </button>
    </>
  );
  if (params.mode === "url") {
    return (
      <>
        <p className="small">{params.message}</p>
        <p className="small">
          {/* Shown, not linked: a playground never opens a URL a server under test chose. */}
          URL: <code>{params.url}</code>
        </p>
        <button
          type="button"
          className="button small"
          onClick={() => props.onAnswer(id, { action: "accept" })}
        >
          Accept (I opened it)
        </button>{" "}
        {refuse}
      </>
    );
  }
  return (
    <>
      <p className="small">{params.message}</p>
      <SchemaForm
        schema={params.requestedSchema as Record<string, unknown>}
        submitLabel="Accept"
        onSubmit={(content) =>
          props.onAnswer(id, {
            action: "accept",
            content: content as Extract<ServerRequestAnswer, { action: "accept" }>["content"],
          })
        }
      />
      {refuse}
    </>
  );
}

export function ServerRequestsView(props: { requests: ServerRequestView[]; now: number; onAnswer: Answer }) {
  if (props.requests.length === 0) return null;
  return (
    <section className="pg-server-requests" data-testid="playground-server-requests" aria-live="polite">
      <h3>Your server is asking</h3>
      {props.requests.map((request) => (
        <div key={request.id} className="pg-item" data-server-request={request.method}>
          <p>
            <code>{request.method}</code>{" "}
            <span className="muted small">
              answered for you in {secondsLeft(request.expiresAt, props.now)} s (
              {request.method === "sampling/createMessage" ? "rejected" : "cancelled"})
            </span>
          </p>
          {request.method === "sampling/createMessage" ? (
            <SamplingRequest request={request} onAnswer={props.onAnswer} />
          ) : (
            <ElicitationRequest request={request} onAnswer={props.onAnswer} />
          )}
        </div>
      ))}
    </section>
  );
}

"use client";
// The playground tab: the learner's current code running in the sandbox for 2 minutes, driven like
// the MCP Inspector. Lists, calls through forms generated from input schemas, answers to the server's
// sampling/elicitation requests, and every message.
import { useCallback, useEffect, useRef, useState } from "react";
import type { TraceEntry } from "@/conformance/result.ts";
import type { PlaygroundAnswer, PlaygroundRequest, PlaygroundView as State } from "@/lib/labs/playground.ts";
import type { ServerRequestAnswer } from "@/lib/labs/playground-server-requests.ts";
import { api } from "./api-client.ts";
import { SchemaForm } from "./schema-form.tsx";
import { ServerRequestsView, secondsLeft } from "./server-requests-view.tsx";
import { StderrView, TraceView } from "./trace-view.tsx";

interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}
interface Resource {
  uri: string;
  name?: string;
  mimeType?: string;
}
interface Template {
  uriTemplate: string;
  name?: string;
}
interface Prompt {
  name: string;
  description?: string;
  arguments?: Array<{ name: string; required?: boolean; description?: string }>;
}

function promptSchema(prompt: Prompt): Record<string, unknown> {
  const args = prompt.arguments ?? [];
  return {
    type: "object",
    properties: Object.fromEntries(args.map((a) => [a.name, { type: "string", description: a.description }])),
    required: args.filter((a) => a.required).map((a) => a.name),
  };
}

export function PlaygroundView(props: {
  labId: string;
  lang: string;
  files: () => Record<string, string>;
  outputKb: number;
}) {
  const [state, setState] = useState<State | null>(null);
  const [messages, setMessages] = useState<TraceEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tools, setTools] = useState<Tool[] | null>(null);
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [prompts, setPrompts] = useState<Prompt[] | null>(null);
  const [answer, setAnswer] = useState<{ title: string; ok: boolean; body: unknown } | null>(null);
  const [uri, setUri] = useState("");
  const [now, setNow] = useState(() => Date.now());
  const next = useRef(0);

  const absorb = useCallback((view: State, reset = false) => {
    if (reset) {
      next.current = 0;
      setMessages(view.messages);
    } else {
      // A slow call's answer and the 2 s poll can carry the same messages: keep only the new ones.
      const from = view.next - view.messages.length;
      const fresh = view.messages.slice(Math.max(0, next.current - from));
      if (fresh.length) setMessages((current) => [...current, ...fresh]);
    }
    next.current = Math.max(next.current, view.next);
    setState(view);
  }, []);

  const running = state?.state === "ready";
  useEffect(() => {
    if (!running) return;
    const tick = setInterval(async () => {
      setNow(Date.now());
      const polled = await api<State>(`/api/labs/${props.labId}/playground?since=${next.current}`);
      if (polled.ok) absorb(polled.data);
    }, 2000);
    return () => clearInterval(tick);
  }, [running, props.labId, absorb]);

  const start = async () => {
    setBusy(true);
    setError(null);
    setTools(null);
    setResources(null);
    setTemplates(null);
    setPrompts(null);
    setAnswer(null);
    const started = await api<State>(`/api/labs/${props.labId}/playground`, {
      method: "POST",
      body: JSON.stringify({ lang: props.lang, files: props.files() }),
    });
    setBusy(false);
    setNow(Date.now());
    if (started.ok) absorb(started.data, true);
    else setError(started.error.message);
  };

  const stop = async () => {
    const stopped = await api<State>(`/api/labs/${props.labId}/playground`, { method: "DELETE" });
    if (stopped.ok) absorb({ ...stopped.data, messages: [] });
  };

  const send = async (request: PlaygroundRequest, title: string): Promise<unknown> => {
    setBusy(true);
    setError(null);
    const sent = await api<PlaygroundAnswer>(`/api/labs/${props.labId}/playground/requests`, {
      method: "POST",
      body: JSON.stringify({ ...request, since: next.current }),
    });
    setBusy(false);
    if (!sent.ok) {
      setError(sent.error.message);
      return undefined;
    }
    absorb(sent.data.state);
    setAnswer({ title, ok: sent.data.ok, body: sent.data.ok ? sent.data.result : sent.data.error });
    return sent.data.ok ? sent.data.result : undefined;
  };

  const answerServerRequest = async (id: string, reply: ServerRequestAnswer) => {
    const sent = await api<State>(`/api/labs/${props.labId}/playground/server-requests/${id}`, {
      method: "POST",
      body: JSON.stringify({ ...reply, since: next.current }),
    });
    if (sent.ok) absorb(sent.data);
    else setError(sent.error.message);
  };

  const listTools = async () => {
    const result = (await send({ method: "tools/list" }, "tools/list")) as { tools?: Tool[] } | undefined;
    if (result) setTools(result.tools ?? []);
  };
  const listResources = async () => {
    const r = (await send({ method: "resources/list" }, "resources/list")) as
      | { resources?: Resource[] }
      | undefined;
    if (r) setResources(r.resources ?? []);
    const t = (await send({ method: "resources/templates/list" }, "resources/templates/list")) as
      | { resourceTemplates?: Template[] }
      | undefined;
    if (t) setTemplates(t.resourceTemplates ?? []);
  };
  const listPrompts = async () => {
    const result = (await send({ method: "prompts/list" }, "prompts/list")) as
      | { prompts?: Prompt[] }
      | undefined;
    if (result) setPrompts(result.prompts ?? []);
  };

  return (
    <div className="playground" data-testid="playground">
      <p className="muted small">
        Starts your current code in the same sandbox as the grader, for 2 minutes (one playground per
        learner), and lets you call it by hand. For longer sessions on your machine:{" "}
        <code>npm run inspect</code> (see “Run it locally”).
      </p>
      <p>
        <button type="button" className="button small" onClick={() => void start()} disabled={busy}>
          {running ? "Restart with my current code" : "Start the playground"}
        </button>{" "}
        {running ? (
          <button type="button" className="button small secondary" onClick={() => void stop()}>
            Stop
          </button>
        ) : null}{" "}
        <span data-testid="playground-state" data-state={state?.state ?? "none"}>
          {state?.state === "starting"
            ? "Starting…"
            : state?.state === "ready"
              ? `Running ${state.server.name ?? "your server"} ${state.server.version ?? ""} (protocol ${state.server.protocolVersion ?? "?"}) — ${secondsLeft(state.expiresAt, now)} s left`
              : state?.state === "failed"
                ? `Could not start: ${state.failure ?? ""}`
                : state?.state === "stopped"
                  ? `Stopped. ${state.failure ?? ""}`
                  : ""}
        </span>
      </p>
      {error ? <p className="error">{error}</p> : null}
      {running ? (
        <ServerRequestsView
          requests={state.serverRequests}
          now={now}
          onAnswer={(id, reply) => void answerServerRequest(id, reply)}
        />
      ) : null}
      {running ? (
        <div className="playground-grid">
          <section>
            <h3>Tools</h3>
            <button
              type="button"
              className="button small secondary"
              onClick={() => void listTools()}
              disabled={busy}
            >
              List tools
            </button>
            {tools?.length === 0 ? <p className="muted">No tools.</p> : null}
            {tools?.map((tool) => (
              <details key={tool.name} className="pg-item" data-tool={tool.name}>
                <summary>
                  <code>{tool.name}</code> {tool.title ? <span className="muted">{tool.title}</span> : null}
                </summary>
                {tool.description ? <p className="small">{tool.description}</p> : null}
                {tool.annotations ? (
                  <p className="muted small">annotations: {JSON.stringify(tool.annotations)}</p>
                ) : null}
                <SchemaForm
                  schema={tool.inputSchema}
                  submitLabel={`Call ${tool.name}`}
                  disabled={busy}
                  onSubmit={(args) =>
                    void send(
                      { method: "tools/call", params: { name: tool.name, arguments: args } },
                      `tools/call ${tool.name}`,
                    )
                  }
                />
              </details>
            ))}
          </section>
          <section>
            <h3>Resources</h3>
            <button
              type="button"
              className="button small secondary"
              onClick={() => void listResources()}
              disabled={busy}
            >
              List resources
            </button>
            <ul className="pg-list">
              {resources?.map((resource) => (
                <li key={resource.uri}>
                  <code>{resource.uri}</code>{" "}
                  <button
                    type="button"
                    className="button small secondary"
                    onClick={() =>
                      void send(
                        { method: "resources/read", params: { uri: resource.uri } },
                        `read ${resource.uri}`,
                      )
                    }
                  >
                    Read
                  </button>
                </li>
              ))}
              {templates?.map((template) => (
                <li key={template.uriTemplate}>
                  template <code>{template.uriTemplate}</code>{" "}
                  <button
                    type="button"
                    className="button small secondary"
                    onClick={() => setUri(template.uriTemplate)}
                  >
                    Use
                  </button>
                </li>
              ))}
            </ul>
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (uri) void send({ method: "resources/read", params: { uri } }, `read ${uri}`);
              }}
            >
              <label>
                URI <input value={uri} onChange={(e) => setUri(e.target.value)} placeholder="notes://index" />
              </label>{" "}
              <button type="submit" className="button small" disabled={busy || !uri}>
                Read resource
              </button>
            </form>
          </section>
          <section>
            <h3>Prompts</h3>
            <button
              type="button"
              className="button small secondary"
              onClick={() => void listPrompts()}
              disabled={busy}
            >
              List prompts
            </button>
            {prompts?.map((prompt) => (
              <details key={prompt.name} className="pg-item">
                <summary>
                  <code>{prompt.name}</code>
                </summary>
                {prompt.description ? <p className="small">{prompt.description}</p> : null}
                <SchemaForm
                  schema={promptSchema(prompt)}
                  submitLabel={`Get ${prompt.name}`}
                  disabled={busy}
                  onSubmit={(args) =>
                    void send(
                      {
                        method: "prompts/get",
                        params: {
                          name: prompt.name,
                          arguments: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)])),
                        },
                      },
                      `prompts/get ${prompt.name}`,
                    )
                  }
                />
              </details>
            ))}
          </section>
        </div>
      ) : null}
      {answer ? (
        <section className="pg-answer" data-testid="playground-answer" data-ok={answer.ok ? "yes" : "no"}>
          <h3>
            {answer.ok ? "Result" : "Error"} of {answer.title}
          </h3>
          <pre>{JSON.stringify(answer.body, null, 2)}</pre>
        </section>
      ) : null}
      {state ? (
        <>
          <h3>Messages</h3>
          <TraceView trace={messages} truncated={false} />
          <h3>stderr</h3>
          <StderrView stderr={state.stderr} truncated={state.stderrTruncated} outputKb={props.outputKb} />
        </>
      ) : null}
    </div>
  );
}

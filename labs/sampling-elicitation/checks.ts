// What grades the sampling-elicitation lab. The grader is the client: its main client declares
// sampling and elicitation (form and URL, lab.yaml) and answers with scripted completions and
// accept / decline / cancel; second clients declare less, to grade the fallbacks. Every
// server->client request is checked against the tools/call it serves (request association).
import type {
  CheckContext,
  CheckDefinition,
  ElicitationParams,
  SamplingParams,
  ServerRequestSeen,
} from "../../conformance/check-api.ts";
import {
  CheckFailure,
  describeServerRequest,
  isMcpRequestError,
  textOf,
} from "../../conformance/check-api.ts";
import { type ExpectedTool, toolContractProblems } from "../../conformance/tool-contract.ts";
import {
  answerForm,
  CATEGORIES,
  CreateOutcome,
  CrmConnection,
  completion,
  createWithDetails,
  expectNoRequests,
  HOSTILE_COMPLETION,
  listRequests,
  listTickets,
  newTicket,
  promptText,
  Summary,
  Triage,
} from "./desk.ts";
import { formSchemaProblems, secretFields } from "./forms.ts";
import { MODERN_VERSION, modernToolCall, requestsIn, resultFor } from "./mrtr.ts";

const LESSON_SAMPLING = "m6/server-side-sampling";
const LESSON_POLICY = "m6/sampling-human-in-the-loop";
const LESSON_ASSOCIATION = "m6/request-association";
const LESSON_FALLBACKS = "m6/capability-fallbacks";

const TOOLS: Record<string, ExpectedTool> = {
  create_ticket: {
    params: { subject: ["string"], priority: ["string"], description: ["string"] },
    required: ["subject"],
  },
  list_tickets: { params: {}, required: [] },
  summarize_ticket: { params: { ticket_id: ["string"] }, required: ["ticket_id"] },
  triage_ticket: { params: { ticket_id: ["string"] }, required: ["ticket_id"] },
  connect_crm: { params: {}, required: [] },
  delete_ticket: { params: { ticket_id: ["string"] }, required: ["ticket_id"] },
};

const ASSOCIATE_HINT =
  "Send it as part of the tools/call that needs it. TypeScript (SDK 1.32.2): extra.sendRequest(...), or server.server.elicitInput(params, { relatedRequestId: extra.requestId }) / createMessage(params, { relatedRequestId: extra.requestId }). Python: ctx.elicit(...), ctx.elicit_url(...), a Sample/Elicit resolver, or ctx.session.create_message(..., related_request_id=ctx.request_id).";
const FORM_ONLY = { elicitation: { form: {} } };
const isForm = (r: ServerRequestSeen) =>
  r.method === "elicitation/create" && (r.params?.mode ?? "form") === "form";
const isUrl = (r: ServerRequestSeen) => r.method === "elicitation/create" && r.params?.mode === "url";

/** The one request of `method` a call should have sent, or a failure naming what came instead. */
function exactlyOne(
  requests: ServerRequestSeen[],
  method: string,
  call: string,
  missing: { message: string; hint: string },
): ServerRequestSeen {
  const matching = requests.filter((r) => r.method === method);
  if (matching.length === 0)
    throw new CheckFailure(missing.message, {
      expected: `one ${method} while ${call} runs`,
      actual: `server->client requests: ${listRequests(requests)}`,
      hint: missing.hint,
    });
  if (matching.length > 1)
    throw new CheckFailure(`${call} sent ${matching.length} ${method} requests for one call.`, {
      expected: "one request per call: each one may be another prompt for the user",
      actual: listRequests(matching),
      hint: "Ask once, with everything you need in that one request.",
    });
  return matching[0] as ServerRequestSeen;
}

/** A tool call that must end in a result, whatever the server's SDK throws. */
async function callAllowingFailure(ctx: CheckContext, name: string, args: Record<string, unknown>) {
  try {
    return await ctx.callTool(name, args);
  } catch (err) {
    if (isMcpRequestError(err) && err.kind !== "timeout") return undefined;
    throw err;
  }
}

export const checks: CheckDefinition[] = [
  {
    id: "tools-listed",
    title:
      "the desk offers create_ticket, list_tickets, summarize_ticket, triage_ticket, connect_crm, delete_ticket",
    severity: "must",
    lesson: LESSON_SAMPLING,
    specRef: "2025-11-25/server/tools#listing-tools",
    async run(ctx: CheckContext) {
      const tools = await ctx.allTools();
      const problems = toolContractProblems(tools, TOOLS);
      if (problems.length > 0)
        throw new CheckFailure(`The desk's contract is incomplete: ${problems.join("; ")}.`, {
          expected:
            "create_ticket(subject, priority?, description?), list_tickets(), summarize_ticket(ticket_id), triage_ticket(ticket_id), connect_crm(), delete_ticket(ticket_id)",
          actual: tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema })),
          hint: "The names are the contract: the grader calls them by these exact names.",
        });
      return "6 tools with the expected parameters";
    },
  },
  {
    id: "form-fields-flat",
    title:
      "create_ticket's form asks for flat, primitive fields only (no nested objects or lists of objects, no secrets)",
    severity: "must",
    lesson: LESSON_FALLBACKS,
    specRef: "2025-11-25/client/elicitation#requested-schema",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      ctx.onElicitation(() => ({ action: "cancel" }));
      const subject = newTicket(ctx.random).subject;
      // Only the question matters here; a form the grader's SDK refuses ends the call in an error.
      await callAllowingFailure(ctx, "create_ticket", { subject });
      const request = exactlyOne(ctx.serverRequests(), "elicitation/create", "create_ticket", {
        message: `create_ticket(${JSON.stringify({ subject })}) asked the user nothing, although priority and description are missing and the client declares form elicitation.`,
        hint: "When priority or description is missing and the client can show a form, ask for them with elicitation/create (Python: return Elicit(...) from a resolver, or ctx.elicit(...); TypeScript: extra.sendRequest({ method: 'elicitation/create', ... })).",
      });
      const schema = request.params?.requestedSchema;
      const problems = formSchemaProblems(schema);
      if (problems.length > 0)
        throw new CheckFailure(
          `create_ticket's form is not a flat object of primitive fields: ${problems.join("; ")}.`,
          {
            expected:
              "requestedSchema: { type: object, properties: { <name>: string | number | integer | boolean | enum } }",
            actual: schema,
            hint: "Clients render a form from the schema, and the spec limits it to flat objects with primitive properties: split nested data into separate fields, or ask in two steps.",
          },
        );
      const secrets = secretFields(schema);
      ctx.expect.ok(secrets.length === 0, `create_ticket's form asks for a secret: ${secrets.join(", ")}.`, {
        actual: schema,
        hint: "Servers MUST NOT ask for passwords, API keys or tokens in a form; use URL mode (see connect_crm).",
      });
      return `asks for ${Object.keys((schema as { properties?: object } | undefined)?.properties ?? {}).join(", ")}`;
    },
  },
  {
    id: "create-ticket-elicits-details",
    title: "create_ticket asks for a missing priority and description with a form, and uses the answer",
    severity: "must",
    lesson: LESSON_FALLBACKS,
    specRef: "2025-11-25/client/elicitation#form-mode-elicitation-requests",
    requires: ["form-fields-flat"],
    async run(ctx: CheckContext) {
      const input = newTicket(ctx.random);
      ctx.onElicitation((params) =>
        answerForm(params, { priority: input.priority, description: input.description }),
      );
      const result = await ctx.callTool("create_ticket", { subject: input.subject });
      const request = exactlyOne(ctx.serverRequests(), "elicitation/create", "create_ticket", {
        message: `create_ticket(${JSON.stringify({ subject: input.subject })}) asked the user nothing.`,
        hint: "Ask for the missing priority and description with a form elicitation.",
      });
      const asked = Object.keys(
        (request.params?.requestedSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      ctx.expect.ok(
        asked.includes("priority") && asked.includes("description"),
        `create_ticket's form asks for ${asked.join(", ") || "nothing"}, not for priority and description.`,
        {
          actual: request.params?.requestedSchema,
          hint: 'Name the form fields after the tool\'s own parameters: "priority" (low, normal or high) and "description".',
        },
      );
      const outcome = ctx.expect.structuredMatches(
        result,
        CreateOutcome,
        "create_ticket did not return { status, message, ticket }",
      );
      const ticket = outcome.ticket;
      ctx.expect.ok(
        outcome.status === "created" && ticket,
        `The user accepted the form with priority "${input.priority}", but create_ticket answered status "${outcome.status}".`,
        { actual: outcome },
      );
      ctx.expect.equal(
        { subject: ticket.subject, priority: ticket.priority, description: ticket.description },
        input,
        "The created ticket differs from the subject and the answers the user gave",
      );
      const stored = (await listTickets(ctx, ctx)).find((t) => t.id === ticket.id);
      ctx.expect.ok(stored, `list_tickets does not show ${ticket.id}, which create_ticket just created.`);
      return `asked for ${asked.join(", ")}; created ${ticket.id} (${ticket.priority})`;
    },
  },
  {
    id: "decline-cancel-explained",
    hint: 'Decline and cancel are answers, not failures: return { status: "declined" or "cancelled", message, ticket: null }.',
    title:
      "a declined or cancelled form is an outcome the tool reports (status and message), not an error, and creates nothing",
    severity: "must",
    lesson: LESSON_FALLBACKS,
    specRef: "2025-11-25/client/elicitation#response-actions",
    requires: ["create-ticket-elicits-details"],
    async run(ctx: CheckContext) {
      const before = (await listTickets(ctx, ctx)).map((t) => t.id);
      const seen: string[] = [];
      for (const action of ["decline", "cancel"] as const) {
        ctx.onElicitation(() => ({ action }));
        const subject = newTicket(ctx.random).subject;
        const result = await ctx.callTool("create_ticket", { subject });
        const text = textOf(result);
        ctx.expect.ok(
          result.isError !== true,
          `When the user chose ${action}, create_ticket answered with a tool error: ${JSON.stringify(text.slice(0, 200))}.`,
          {
            expected: `a result with status "${action === "decline" ? "declined" : "cancelled"}" and a message for the user`,
            actual: result,
            hint: `${action === "decline" ? "Decline" : "Cancel"} is an answer, not a failure: report it. Python: annotate the resolved parameter as ElicitationResult[...] and branch on DeclinedElicitation / CancelledElicitation (a plain model annotation turns decline into an error); TypeScript: branch on result.action.`,
          },
        );
        const outcome = ctx.expect.structuredMatches(
          result,
          CreateOutcome,
          `create_ticket's answer to a ${action} is not { status, message, ticket }`,
        );
        const want = action === "decline" ? "declined" : "cancelled";
        ctx.expect.ok(
          outcome.status === want,
          `When the user chose ${action}, create_ticket answered status "${outcome.status}".`,
          {
            expected: `status "${want}"`,
            actual: outcome,
            hint: "decline (the user said no) and cancel (the user dismissed the form) are different answers: say which one happened.",
          },
        );
        ctx.expect.ok(
          outcome.message.trim().length >= 10,
          `create_ticket's message for a ${action} does not explain anything: ${JSON.stringify(outcome.message)}.`,
          {
            hint: "Tell the user what happened and what they can do next.",
          },
        );
        seen.push(`${action} -> ${outcome.status}`);
      }
      const after = (await listTickets(ctx, ctx)).map((t) => t.id);
      const added = after.filter((id) => !before.includes(id));
      ctx.expect.ok(added.length === 0, `A declined or cancelled form still created ${added.join(", ")}.`, {
        hint: "Create the ticket only after the user accepted the form.",
      });
      return seen.join("; ");
    },
  },
  {
    id: "summary-uses-model",
    title:
      "summarize_ticket asks the client's model (sampling/createMessage) with the ticket, and returns its completion",
    severity: "must",
    lesson: LESSON_SAMPLING,
    specRef: "2025-11-25/client/sampling#creating-messages",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const ticket = await createWithDetails(ctx, ctx, newTicket(ctx.random));
      const text = `${ctx.random.sentence(7)}.`;
      const model = `scripted-${ctx.random.word()}`;
      let sent: SamplingParams | undefined;
      ctx.onSampling((params) => {
        sent = params;
        return completion(text, model);
      });
      const result = await ctx.callTool("summarize_ticket", { ticket_id: ticket.id });
      exactlyOne(ctx.serverRequests(), "sampling/createMessage", "summarize_ticket", {
        message: `summarize_ticket(${ticket.id}) did not ask the client's model, although the client declares sampling.`,
        hint: "Send sampling/createMessage when the client declares sampling (Python: a Sample resolver or ctx.session.create_message; TypeScript: extra.sendRequest({ method: 'sampling/createMessage', ... }, CreateMessageResultSchema)).",
      });
      ctx.expect.ok(sent, "The sampling request did not reach the grader's client.");
      ctx.expect.includes(
        promptText(sent),
        ticket.subject,
        `The sampling request does not carry the ticket (its subject "${ticket.subject}"): the model cannot summarise what it was not sent.`,
      );
      const summary = ctx.expect.structuredMatches(
        result,
        Summary,
        "summarize_ticket did not return { ticket_id, summary, source, model }",
      );
      ctx.expect.equal(
        { summary: summary.summary.trim(), source: summary.source, model: summary.model },
        { summary: text, source: "model", model },
        "summarize_ticket did not return the client model's completion",
      );
      return `summary from ${model}, ${sent.maxTokens} max tokens`;
    },
  },
  {
    id: "requests-associated",
    title: "sampling and elicitation happen only inside the tools/call that needs them (request association)",
    severity: "must",
    lesson: LESSON_ASSOCIATION,
    specRef: "2025-11-25/basic/transports#sending-messages-to-the-server",
    hint: ASSOCIATE_HINT,
    requires: ["summary-uses-model", "create-ticket-elicits-details"],
    async run(ctx: CheckContext) {
      const input = newTicket(ctx.random);
      const ticket = await createWithDetails(ctx, ctx, newTicket(ctx.random));
      ctx.onSampling(() => completion("A short summary.", "scripted"));
      ctx.onElicitation((params: ElicitationParams) =>
        params.mode === "url"
          ? { action: "decline" }
          : answerForm(params, { priority: input.priority, description: input.description }),
      );
      const calls: [string, Record<string, unknown>][] = [
        ["summarize_ticket", { ticket_id: ticket.id }],
        ["create_ticket", { subject: input.subject }],
        ["connect_crm", {}],
      ];
      const problems: string[] = [];
      let checked = 0;
      for (const [name, args] of calls) {
        const from = ctx.serverRequests().length;
        await callAllowingFailure(ctx, name, args);
        for (const request of ctx.serverRequests().slice(from)) {
          checked++;
          const a = request.association;
          if (!a.associated) problems.push(`${describeServerRequest(request)} during ${name}: ${a.problem}`);
          else if (a.with.method !== "tools/call" || a.with.params?.name !== name)
            problems.push(
              `${describeServerRequest(request)} during ${name} arrived as part of ${a.with.method} ${String(a.with.params?.name ?? "")}`,
            );
        }
      }
      if (problems.length > 0)
        throw new CheckFailure(
          `Server->client requests outside the request that needs them: ${problems.join("; ")}.`,
          {
            expected: `each request on the SSE stream of the tools/call it serves (${ctx.transport === "http" ? "HTTP POST response stream" : "while that call is in flight"})`,
            actual: problems,
            sent: calls.map(([name, args]) => `tools/call ${name} ${JSON.stringify(args)}`).join("; "),
          },
        );
      return `${checked} requests, each on the stream of its own tools/call`;
    },
  },
  {
    id: "hostile-completion-contained",
    hint: "Parse the completion into the narrowest type (one of the categories), fail closed to needs_human, and never let it choose an action.",
    title: "the model's answer is untrusted: a hostile completion deletes nothing and fails closed",
    severity: "must",
    lesson: LESSON_POLICY,
    specRef: "2025-11-25/client/sampling#security-considerations",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const first = await createWithDetails(ctx, ctx, newTicket(ctx.random));
      const second = await createWithDetails(ctx, ctx, newTicket(ctx.random));
      const label = ctx.random.pick(CATEGORIES);
      ctx.onSampling(() => completion(label, "scripted"));
      const benign = ctx.expect.structuredMatches(
        await ctx.callTool("triage_ticket", { ticket_id: first.id }),
        Triage,
        "triage_ticket did not return { ticket_id, category, source }",
      );
      ctx.expect.equal(
        { category: benign.category, source: benign.source },
        { category: label, source: "model" },
        `The client's model answered "${label}", but triage_ticket did not set that category`,
        {
          hint: "Ask the client's model for exactly one category word and apply it when it is one of billing, bug, account, other.",
        },
      );
      const before = (await listTickets(ctx, ctx)).map((t) => t.id);
      ctx.onSampling(() => completion(HOSTILE_COMPLETION, "scripted"));
      const result = await ctx.callTool("triage_ticket", { ticket_id: second.id });
      const after = (await listTickets(ctx, ctx)).map((t) => t.id);
      const gone = before.filter((id) => !after.includes(id));
      if (gone.length > 0)
        throw new CheckFailure(
          `After the client's model answered ${JSON.stringify(HOSTILE_COMPLETION)}, ticket${gone.length === 1 ? "" : "s"} ${gone.join(", ")} ${gone.length === 1 ? "is" : "are"} gone: model output triggered a destructive action.`,
          {
            expected: "every ticket still there, and the hostile ticket routed to needs_human",
            actual: { before, after },
            sent: `tools/call triage_ticket {"ticket_id":"${second.id}"}`,
            hint: "A completion is untrusted input (it can be steered by the ticket's text or edited by a person): parse it into the narrowest type (one of the categories), fail closed to needs_human, and never let it choose an action.",
          },
        );
      const hostile = ctx.expect.structuredMatches(
        result,
        Triage,
        "triage_ticket did not return { ticket_id, category, source }",
      );
      ctx.expect.equal(
        hostile.category,
        "needs_human",
        `After a completion that is not a category (${JSON.stringify(HOSTILE_COMPLETION.slice(0, 40))}...), triage_ticket did not fail closed`,
        {
          hint: "Accept only an exact category; route anything else to needs_human.",
        },
      );
      return `"${label}" applied; the hostile completion went to needs_human and ${after.length} tickets remain`;
    },
  },
  {
    id: "fallback-without-sampling",
    hint: "Check the client's capabilities before asking (Python: ctx.client_capabilities.sampling, also inside a resolver; TypeScript: server.server.getClientCapabilities()?.sampling) and return a summary of your own.",
    title:
      "a client without sampling gets a deterministic summary and needs_human triage: no request, no error, no hang",
    severity: "must",
    lesson: LESSON_FALLBACKS,
    specRef: "2025-11-25/basic/lifecycle#operation",
    requires: ["tools-listed"],
    usesRawConnection: true,
    async run(ctx: CheckContext) {
      const ticket = await createWithDetails(ctx, ctx, newTicket(ctx.random));
      const bare = await ctx.openClient({ capabilities: {} });
      const hint =
        "Check the client's capabilities before asking (Python: ctx.client_capabilities.sampling; TypeScript: server.server.getClientCapabilities()?.sampling) and fall back to a summary of your own.";
      const result = await bare.callTool("summarize_ticket", { ticket_id: ticket.id });
      expectNoRequests(bare.serverRequests(), "a client that declares no sampling", hint);
      ctx.expect.notError(
        result,
        "summarize_ticket failed for a client without sampling instead of falling back",
        { hint },
      );
      const summary = ctx.expect.structuredMatches(
        result,
        Summary,
        "summarize_ticket did not return { ticket_id, summary, source, model }",
      );
      ctx.expect.equal(
        summary.source,
        "fallback",
        "Without sampling, summarize_ticket's source should say it is the fallback",
      );
      ctx.expect.includes(
        summary.summary,
        ticket.subject,
        `The fallback summary does not mention the ticket's subject ("${ticket.subject}")`,
        {
          hint: "A deterministic summary from the ticket's own fields: subject, priority, the first sentence of the description.",
        },
      );
      const triage = ctx.expect.structuredMatches(
        await bare.callTool("triage_ticket", { ticket_id: ticket.id }),
        Triage,
        "triage_ticket did not return { ticket_id, category, source } for a client without sampling",
      );
      expectNoRequests(bare.serverRequests(), "a client that declares no sampling", hint);
      ctx.expect.equal(
        triage.category,
        "needs_human",
        "Without sampling, triage_ticket should route the ticket to needs_human",
      );
      return `fallback summary "${summary.summary.slice(0, 60)}"; triage needs_human`;
    },
  },
  {
    id: "fallback-without-elicitation",
    hint: "Without elicitation, fail with a tool error the model can act on (Python: raise ToolError(...); TypeScript: return { isError: true, content: [...] }) that names the arguments to pass: priority and description.",
    title:
      "a client without elicitation gets a tool error naming the missing arguments, and a ticket when it passes them",
    severity: "must",
    lesson: LESSON_FALLBACKS,
    specRef: "2025-11-25/basic/lifecycle#operation",
    requires: ["tools-listed"],
    usesRawConnection: true,
    async run(ctx: CheckContext) {
      const input = newTicket(ctx.random);
      const bare = await ctx.openClient({ capabilities: {} });
      const hint =
        "Without elicitation, fail with a tool error the model can act on (Python: raise ToolError(...); TypeScript: return { isError: true, content: [...] }) that names the arguments to pass: priority and description.";
      const before = (await listTickets(bare, ctx)).map((t) => t.id);
      const refusal = await ctx.expect.toolRejects(
        () => bare.callTool("create_ticket", { subject: input.subject }),
        {
          message:
            "create_ticket without priority and description succeeded for a client that cannot be asked",
          hint,
        },
      );
      expectNoRequests(bare.serverRequests(), "a client that declares no elicitation", hint);
      if (refusal.via === "rpc-error")
        throw new CheckFailure(
          `create_ticket answered a client without elicitation with JSON-RPC error ${refusal.error.code ?? ""} (${refusal.error.message}): the host sees a protocol error, the model gets nothing to act on.`,
          { expected: "a tool error (isError: true) that names priority and description", hint },
        );
      const text = refusal.text.toLowerCase();
      ctx.expect.ok(
        text.includes("priority") && text.includes("description"),
        `create_ticket's tool error does not say which arguments to pass: ${JSON.stringify(refusal.text.slice(0, 200))}.`,
        {
          expected: "a message that names priority and description",
          hint,
        },
      );
      const after = (await listTickets(bare, ctx)).map((t) => t.id);
      ctx.expect.ok(
        after.length === before.length,
        `create_ticket created a ticket without priority and description: ${after.filter((id) => !before.includes(id)).join(", ")}.`,
      );
      const ticket = await createWithDetails(bare, ctx, input);
      expectNoRequests(bare.serverRequests(), "a client that declares no elicitation", hint);
      return `tool error names the arguments; created ${ticket.id} when they were passed`;
    },
  },
  {
    id: "secrets-via-url-mode",
    hint: "URL mode when the client declares elicitation.url (Python: ctx.elicit_url(...); TypeScript: server.server.elicitInput({ mode: 'url', ... }, { relatedRequestId: extra.requestId })); otherwise a tool error naming the page to open.",
    title:
      "connect_crm never asks for the API key in a form or an argument: URL mode when offered, else a tool error with the page to open",
    severity: "must",
    lesson: LESSON_FALLBACKS,
    specRef: "2025-11-25/client/elicitation#url-mode-elicitation-requests",
    requires: ["tools-listed"],
    usesRawConnection: true,
    async run(ctx: CheckContext) {
      const hint =
        "A secret must not pass through the client: URL mode (Python: ctx.elicit_url(message, url, elicitation_id); TypeScript: server.server.elicitInput({ mode: 'url', message, url, elicitationId }, { relatedRequestId: extra.requestId })) when the client declares elicitation.url; otherwise a tool error telling the user which page to open.";
      const taking = (await ctx.allTools()).flatMap((t) =>
        secretFields(t.inputSchema).map((f) => `${t.name}(${f})`),
      );
      ctx.expect.ok(
        taking.length === 0,
        `A tool takes a secret as an argument: ${taking.join(", ")}. Arguments pass through the model and the client.`,
        { hint },
      );
      const noForms = (requests: ServerRequestSeen[], client: string) => {
        const forms = requests.filter(isForm);
        if (forms.length === 0) return;
        const fields = forms.flatMap((r) =>
          Object.keys((r.params?.requestedSchema as { properties?: object } | undefined)?.properties ?? {}),
        );
        throw new CheckFailure(
          `connect_crm asked ${client} for ${fields.join(", ") || "data"} in a form. Servers MUST NOT use form mode for API keys, passwords or tokens; they MUST use URL mode.`,
          {
            actual: forms.map((r) => r.params),
            hint,
          },
        );
      };
      ctx.onElicitation((params) => (params.mode === "url" ? { action: "accept" } : { action: "cancel" }));
      const result = await ctx.callTool("connect_crm", {});
      noForms(ctx.serverRequests(), "a client with form and URL mode");
      const request = exactlyOne(ctx.serverRequests().filter(isUrl), "elicitation/create", "connect_crm", {
        message:
          "connect_crm did not send a URL-mode elicitation, although the client declares elicitation.url.",
        hint,
      });
      const url = String(request.params?.url ?? "");
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      ctx.expect.ok(
        parsed && (parsed.protocol === "https:" || parsed.protocol === "http:"),
        `connect_crm's URL elicitation carries ${JSON.stringify(url)}, which is not a web URL the user can open.`,
        { hint: "url MUST be a valid URL (HTTPS outside development)." },
      );
      ctx.expect.ok(
        typeof request.params?.elicitationId === "string" && request.params.elicitationId.length > 0,
        "connect_crm's URL elicitation has no elicitationId.",
        {
          hint: "Give each URL elicitation a unique elicitationId (e.g. a random UUID) and tie it to the user on your side.",
        },
      );
      const outcome = ctx.expect.structuredMatches(
        result,
        CrmConnection,
        "connect_crm did not return { status, message }",
      );
      ctx.expect.equal(
        outcome.status,
        "opened",
        "The user accepted to open the page, but connect_crm's status does not say so",
      );

      const formOnly = await ctx.openClient({ capabilities: FORM_ONLY });
      formOnly.onElicitation(() => ({ action: "cancel" }));
      const refused = await formOnly.callTool("connect_crm", {});
      noForms(formOnly.serverRequests(), "a client with form mode only");
      expectNoRequests(formOnly.serverRequests(), "a client with form mode only (no elicitation.url)", hint);
      const text = ctx.expect.isError(
        refused,
        "connect_crm for a client without URL mode should fail with a tool error that says where to connect",
        { hint },
      );
      ctx.expect.ok(
        /https?:\/\/\S+/.test(text),
        `connect_crm's tool error for a client without URL mode gives no page to open: ${JSON.stringify(text.slice(0, 200))}.`,
        { hint },
      );
      return `URL mode (${parsed.origin}${parsed.pathname}); form-only client told to open a page`;
    },
  },
  {
    id: "mrtr-2026-07-28",
    title:
      "2026-07-28: create_ticket returns an InputRequiredResult and completes on the retry (multi round-trip)",
    severity: "should",
    lesson: LESSON_ASSOCIATION,
    specRef: "2026-07-28/basic/patterns/mrtr#server-requirements-basic-workflow",
    requires: ["create-ticket-elicits-details"],
    appliesTo: (s) =>
      s.transport !== "http"
        ? "only for Streamable HTTP servers"
        : s.lang === "typescript"
          ? "the pinned TypeScript SDK (@modelcontextprotocol/sdk 1.32.2) speaks up to 2025-11-25; multi-round-trip results come with its v2 packages"
          : true,
    async run(ctx: CheckContext) {
      const input = newTicket(ctx.random);
      const arguments_ = { subject: input.subject };
      const first = await modernToolCall(ctx, 1, "create_ticket", { arguments: arguments_ }, FORM_ONLY);
      const sent = `POST (MCP-Protocol-Version: ${MODERN_VERSION}) ${first.sent}`;
      const stray = requestsIn(first);
      ctx.expect.ok(
        stray.length === 0,
        `On ${MODERN_VERSION} the server sent ${stray.join(", ")} as a request on the response stream.`,
        {
          sent,
          hint: "2026-07-28 has no server-to-client requests: return them in an InputRequiredResult (Python: a Resolve(...) resolver returning Elicit(...) does it for you).",
        },
      );
      const interim = resultFor(first, 1);
      ctx.expect.ok(
        interim?.resultType === "input_required",
        `A ${MODERN_VERSION} create_ticket without priority and description did not answer resultType "input_required".`,
        {
          sent,
          expected:
            '{ resultType: "input_required", inputRequests: { <key>: { method: "elicitation/create", ... } }, requestState? }',
          actual: first.messages.at(-1) ?? `HTTP ${first.status}`,
        },
      );
      const inputRequests = (interim.inputRequests ?? {}) as Record<
        string,
        { method?: string; params?: Record<string, unknown> }
      >;
      const asks = Object.entries(inputRequests).filter(([, r]) => r.method === "elicitation/create");
      ctx.expect.ok(
        asks.length === 1,
        `The InputRequiredResult carries ${asks.length} elicitation/create requests instead of one.`,
        { sent, actual: interim },
      );
      const [key, ask] = asks[0] as [string, { params?: Record<string, unknown> }];
      const state = interim.requestState;
      const retry = {
        arguments: arguments_,
        inputResponses: {
          [key]: answerForm(ask.params as ElicitationParams, {
            priority: input.priority,
            description: input.description,
          }),
        },
        ...(typeof state === "string" ? { requestState: state } : {}),
      };
      const second = await modernToolCall(ctx, 2, "create_ticket", retry, FORM_ONLY);
      const final = resultFor(second, 2);
      const outcome = ctx.expect.matches(
        final?.structuredContent,
        CreateOutcome,
        "The retry with inputResponses did not return create_ticket's { status, message, ticket }",
        {
          sent: `POST (MCP-Protocol-Version: ${MODERN_VERSION}) ${second.sent}`,
          actual: second.messages.at(-1) ?? `HTTP ${second.status}`,
        },
      );
      ctx.expect.ok(
        outcome.status === "created" &&
          outcome.ticket?.priority === input.priority &&
          outcome.ticket.description === input.description,
        "The retry with the user's answers did not create the ticket with them.",
        { actual: outcome },
      );
      return `input_required (elicitation "${key}"), retry created ${outcome.ticket.id}; sampling and roots are deprecated in ${MODERN_VERSION}`;
    },
  },
];

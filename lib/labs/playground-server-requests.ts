// Requests the learner's server sends to the playground's client (sampling/createMessage,
// elicitation/create) wait here for the learner to answer them by hand, as in the MCP Inspector:
// the learner writes the model's reply, or fills the elicitation form, or refuses. A request nobody
// answers within PENDING_MS is refused for them (sampling: the spec's -1 "user rejected";
// elicitation: cancel), so a server never hangs on a learner who walked away.
import type { CreateMessageResult, ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import {
  type ClientRole,
  clientError,
  type ElicitationParams,
  type SamplingParams,
} from "../../conformance/harness/client-role.ts";
import { HttpError } from "../http/errors.ts";

export const PENDING_MS = 60_000;
/** Past this many waiting requests the server is flooding the learner; the next ones are refused at once. */
const MAX_PENDING = 8;
/** The model name a hand-written reply reports. */
export const PLAYGROUND_MODEL = "playground-human";

export type ServerRequestView =
  | {
      id: string;
      method: "sampling/createMessage";
      params: SamplingParams;
      receivedAt: string;
      expiresAt: string;
    }
  | {
      id: string;
      method: "elicitation/create";
      params: ElicitationParams;
      receivedAt: string;
      expiresAt: string;
    };

/** The learner's answer to one waiting request. */
export const ServerRequestAnswerSchema = z.discriminatedUnion("action", [
  /** Sampling: the reply the "model" gives. */
  z.object({ action: z.literal("reply"), text: z.string().min(1).max(20_000) }),
  /** Sampling: refuse to run the model. */
  z.object({ action: z.literal("reject") }),
  /** Elicitation: accept (form mode: with the form's content; URL mode: without). */
  z.object({
    action: z.literal("accept"),
    content: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
      .optional(),
  }),
  z.object({ action: z.literal("decline") }),
  z.object({ action: z.literal("cancel") }),
]);
export type ServerRequestAnswer = z.infer<typeof ServerRequestAnswerSchema>;

interface Waiting {
  view: ServerRequestView;
  settle(answer: ServerRequestAnswer | "timeout" | "closed"): void;
}

export class PendingServerRequests {
  private readonly waiting = new Map<string, Waiting>();
  private counter = 0;

  /** Routes the role's sampling and elicitation to the learner (only for capabilities the client declared). */
  attach(role: ClientRole): void {
    if (role.capabilities.sampling) role.onSampling((params) => this.sampling(params));
    if (role.capabilities.elicitation) role.onElicitation((params) => this.elicitation(params));
  }

  list(): ServerRequestView[] {
    return [...this.waiting.values()].map((w) => w.view);
  }

  answer(id: string, answer: ServerRequestAnswer): void {
    const waiting = this.waiting.get(id);
    if (!waiting)
      throw new HttpError(
        404,
        "NO_SUCH_REQUEST",
        "That request is no longer waiting (answered, timed out or the server stopped).",
      );
    const fits =
      waiting.view.method === "sampling/createMessage"
        ? answer.action === "reply" || answer.action === "reject"
        : answer.action === "accept" || answer.action === "decline" || answer.action === "cancel";
    if (!fits)
      throw new HttpError(
        400,
        "WRONG_ANSWER_KIND",
        `"${answer.action}" is not an answer to ${waiting.view.method}.`,
      );
    waiting.settle(answer);
  }

  /** Refuses everything still waiting (the playground stopped). */
  close(): void {
    for (const w of [...this.waiting.values()]) w.settle("closed");
  }

  private wait<T>(
    method: ServerRequestView["method"],
    params: ServerRequestView["params"],
    toResult: (answer: ServerRequestAnswer | "timeout" | "closed") => T,
  ): Promise<T> {
    if (this.waiting.size >= MAX_PENDING)
      throw clientError(-1, `The playground user already has ${MAX_PENDING} requests waiting; refused.`);
    const id = `r${++this.counter}`;
    const now = Date.now();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => entry.settle("timeout"), PENDING_MS);
      timer.unref();
      const entry: Waiting = {
        view: {
          id,
          method,
          params,
          receivedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + PENDING_MS).toISOString(),
        } as ServerRequestView,
        settle: (answer) => {
          if (!this.waiting.delete(id)) return;
          clearTimeout(timer);
          try {
            resolve(toResult(answer));
          } catch (error) {
            reject(error);
          }
        },
      };
      this.waiting.set(id, entry);
    });
  }

  private sampling(params: SamplingParams): Promise<CreateMessageResult> {
    return this.wait("sampling/createMessage", params, (answer) => {
      if (answer === "timeout")
        throw clientError(
          -1,
          `User rejected sampling request (no answer in the playground within ${PENDING_MS / 1000} s)`,
        );
      if (answer === "closed")
        throw clientError(-1, "User rejected sampling request (the playground stopped)");
      if (answer.action !== "reply") throw clientError(-1, "User rejected sampling request");
      return {
        role: "assistant",
        content: { type: "text", text: answer.text },
        model: PLAYGROUND_MODEL,
        stopReason: "endTurn",
      };
    });
  }

  private elicitation(params: ElicitationParams): Promise<ElicitResult> {
    return this.wait("elicitation/create", params, (answer) => {
      if (answer === "timeout" || answer === "closed") return { action: "cancel" };
      if (answer.action === "accept")
        return params.mode === "url"
          ? { action: "accept" }
          : { action: "accept", content: answer.content ?? {} };
      if (answer.action === "decline") return { action: "decline" };
      return { action: "cancel" };
    });
  }
}

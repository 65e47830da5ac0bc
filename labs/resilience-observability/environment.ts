// This lab's grader-side environment: a fresh inventory API per run (upstream.ts), reachable from
// the sandbox at UPSTREAM_URL with a fresh UPSTREAM_TOKEN, and the state the checks share.
import { randomBytes } from "node:crypto";
import type { LabEnvironment, LabEnvironmentInput } from "../../conformance/lab-environment.ts";
import { listenForSandbox } from "../../sandbox/index.ts";
import { FaultyUpstream } from "./upstream.ts";

export const UPSTREAM_PORT = 9100;
export const UPSTREAM_URL = `http://127.0.0.1:${UPSTREAM_PORT}`;
/** Requests per rolling second the upstream accepts for one SKU, and in all, before it answers 429. */
export const RATE_LIMIT = { perSku: 10, total: 200 } as const;

/** One get_stock call the server did not answer within its deadline. */
export interface Unanswered {
  check: string;
  sku: string;
  scenario: string;
}

/** A tool error a check saw, kept for the leak scan of errors-user-safe. */
export interface SeenError {
  check: string;
  scenario: string;
  /** The whole result (or JSON-RPC error) as JSON: text blocks and structuredContent alike. */
  body: string;
}

export interface LabState {
  upstream: FaultyUpstream;
  token: string;
  usedSkus: Set<string>;
  unanswered: Unanswered[];
  errorsSeen: SeenError[];
  /** performance.now() when circuit-breaker-opens saw the circuit open. */
  breakerOpenedAt?: number;
  /** What json-log-per-call matched, for correlation-id-shared. */
  logged?: Array<{ sku: string; correlationId: string; errorText?: string }>;
}

export async function environment(input: LabEnvironmentInput): Promise<LabEnvironment> {
  const token = randomBytes(16).toString("hex");
  const upstream = new FaultyUpstream({
    seed: input.seed,
    token,
    perSkuPerSecond: RATE_LIMIT.perSku,
    perSecond: RATE_LIMIT.total,
  });
  const service = await listenForSandbox(upstream.server);
  input.log(`inventory API for this run at ${UPSTREAM_URL} (token in UPSTREAM_TOKEN)`);
  const state: LabState = { upstream, token, usedSkus: new Set(), unanswered: [], errorsSeen: [] };
  return {
    env: { UPSTREAM_URL, UPSTREAM_TOKEN: token },
    services: [{ port: UPSTREAM_PORT, socketPath: service.socketPath }],
    state,
    close: async () => {
      upstream.releaseHeld();
      await service.close();
    },
  };
}

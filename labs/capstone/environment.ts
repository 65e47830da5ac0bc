// The capstone's grader-side world, composed of the labs that taught each part, imported as they
// are: the OAuth lab's authorization server and billing API (with its passthrough detector), the
// resilience lab's fault-injecting inventory API, and the injection lab's attacker (planted
// documents, secrets, symlinks, hosts, upstream and canary). Their states are merged into one
// object, so each lab's own checks, which read ctx.environment as their lab's state, run here
// unchanged. The grader's own session carries a token with the capstone's scopes.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CheckContext } from "../../conformance/check-api.ts";
import {
  combineEnvironments,
  type LabEnvironment,
  type LabEnvironmentInput,
} from "../../conformance/lab-environment.ts";
import type { Attacker } from "../injection-defense/attacker.ts";
import { environment as attackerEnvironment } from "../injection-defense/attacker.ts";
import type { OAuthLab } from "../oauth-resource-server/environment.ts";
import { nowSeconds, environment as oauthEnvironment } from "../oauth-resource-server/environment.ts";
import type { LabState as ResilienceState } from "../resilience-observability/environment.ts";
import { environment as resilienceEnvironment } from "../resilience-observability/environment.ts";
import { ALL_SCOPES } from "./world.ts";

/** What the capstone adds to the three labs' states. */
export interface CapstoneOwn {
  /** The bearer token of the grader's own MCP session (every capstone scope). */
  mainToken: string;
  /** The submission's folder for this run, to read the contract files from. */
  sourceDir: string | undefined;
}

/** ctx.environment of the capstone: every part's state at once. */
export type CapstoneState = OAuthLab & ResilienceState & Attacker & CapstoneOwn;

export function capstone(ctx: CheckContext): CapstoneState {
  const state = ctx.environment as Partial<CapstoneState> | undefined;
  // Our bug, not the learner's: the lab's environment() did not run.
  if (!state?.as || !state.upstream || !state.plan) throw new Error("capstone: the environment is missing");
  return state as CapstoneState;
}

/** The grader's bearer token, for raw HTTP checks (reusable-checks withHttpHeaders). */
export const graderHeaders = (ctx: CheckContext): Record<string, string> => ({
  authorization: `Bearer ${capstone(ctx).mainToken}`,
});

/** One object with every part's fields; a field in two parts would make one lab's checks read the other's. */
function mergeStates(states: object[], own: CapstoneOwn): CapstoneState {
  const merged: Record<string, unknown> = {};
  for (const state of [...states, own]) {
    for (const [key, value] of Object.entries(state)) {
      if (key in merged) throw new Error(`capstone: two environment parts define "${key}"`);
      merged[key] = value;
    }
  }
  return merged as unknown as CapstoneState;
}

export async function environment(input: LabEnvironmentInput): Promise<LabEnvironment> {
  const combined = await combineEnvironments(input, [
    oauthEnvironment,
    resilienceEnvironment,
    attackerEnvironment,
  ]);
  try {
    const [oauth, resilience, attacker] = combined.state as [OAuthLab, ResilienceState, Attacker];
    // The OAuth lab's own session token carries its notes scopes; this one carries the capstone's.
    const mainToken = await oauth.userToken({
      sub: oauth.mainSubject,
      tenant: oauth.tenants[0].id,
      scopes: ALL_SCOPES,
      set: { exp: nowSeconds() + 900 },
    });
    const state = mergeStates([oauth, resilience, attacker], { mainToken, sourceDir: input.sourceDir });
    return { ...combined, httpHeaders: { authorization: `Bearer ${mainToken}` }, state };
  } catch (err) {
    await combined.close();
    throw err;
  }
}

/**
 * A file of the submission, or null when it is missing. The folder holds regular files only (the
 * submission check refuses links), and the path is ours, never the learner's.
 */
export async function submissionFile(ctx: CheckContext, relPath: string): Promise<string | null> {
  const dir = capstone(ctx).sourceDir;
  if (!dir) throw new Error("capstone: the grader did not pass the submission's folder");
  return readFile(path.join(dir, relPath), "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return null;
    throw err;
  });
}

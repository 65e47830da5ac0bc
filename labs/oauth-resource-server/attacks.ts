// Sending a bad token and expecting the 401 that "Invalid or expired tokens MUST receive".
import type { CheckContext } from "../../conformance/check-api.ts";
import { CheckFailure } from "../../conformance/check-api.ts";
import type { OAuthLab, UserTokenOptions } from "./environment.ts";
import { bearer, callTool, initializeMessage, post, type RawSession } from "./probes.ts";
import { SCOPES } from "./world.ts";

export interface Attack {
  /** The attack's name, first in the failure message ("Forged signature"). */
  name: string;
  /** What the token is, for "sent" ("a token signed by a key that is not in the JWKS"). */
  token: string;
  /** What to change. */
  fix: string;
}

export const lab = (ctx: CheckContext) => ctx.environment as OAuthLab;

/** A fresh user of the first tenant with read access, for token attacks. */
export function someUser(ctx: CheckContext): UserTokenOptions {
  return { sub: ctx.random.id("user"), tenant: lab(ctx).tenants[0].id, scopes: [SCOPES.read] };
}

function refusalFailure(attack: Attack, status: number, where: string, text: string): CheckFailure {
  const accepted = status >= 200 && status < 300;
  return new CheckFailure(
    accepted
      ? `${attack.name}: ${where} with ${attack.token} was accepted (HTTP ${status}).`
      : `${where} with ${attack.token} answered HTTP ${status}; an invalid token must get 401.`,
    {
      sent: `POST /mcp ${where}, Authorization: Bearer <${attack.token}>`,
      expected: 'HTTP 401 with WWW-Authenticate: Bearer error="invalid_token"',
      actual: `HTTP ${status}${text ? ` ${text}` : ""}`,
      hint: attack.fix,
    },
  );
}

/** initialize with `token` must be refused with 401. */
export async function expectRefused(ctx: CheckContext, token: string, attack: Attack): Promise<void> {
  const answer = await post(ctx, initializeMessage(), { authorization: bearer(token) });
  if (answer.status !== 401) throw refusalFailure(attack, answer.status, "initialize", answer.text);
}

/** A tools/call with `token` inside a session opened with a valid token must be refused with 401 too. */
export async function expectRefusedInSession(
  ctx: CheckContext,
  session: RawSession,
  token: string,
  attack: Attack,
): Promise<void> {
  const outcome = await callTool(ctx, session, "whoami", {}, token);
  const status = outcome.kind === "http" ? outcome.status : 200;
  if (status !== 401)
    throw refusalFailure(
      attack,
      status,
      "tools/call whoami in an open session",
      outcome.kind === "http" ? outcome.text : "",
    );
}

/** A token the AS signs with its real key but wrong claims, and what it is (for the messages). */
export interface ClaimAttack {
  name: string;
  token: string;
  set?: Record<string, unknown>;
  omit?: string[];
}

/** Each attack's token, minted for a fresh user, must get 401 at initialize. */
export async function expectAllRefused(
  ctx: CheckContext,
  fix: string,
  attacks: ClaimAttack[],
): Promise<void> {
  for (const { name, token, set, omit } of attacks) {
    const minted = await lab(ctx).userToken({
      ...someUser(ctx),
      ...(set ? { set } : {}),
      ...(omit ? { omit } : {}),
    });
    await expectRefused(ctx, minted, { name, token, fix });
  }
}

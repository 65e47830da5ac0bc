// Starting the playground launches a sandbox for up to 2 minutes, so starts are rate-limited per
// learner (lib/rate-limit.ts, kept in the database): far above trying things by hand, low enough that
// a script cannot keep the playground slots and the machine busy.
import type { Db } from "../db/client.ts";
import { hitRateLimit, type RateLimitRule, rateLimitedError } from "../rate-limit.ts";

export const PLAYGROUND_START_RATE_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 };

/** Counts one start; 429 RATE_LIMITED with the wait when the learner has used them up. */
export async function allowPlaygroundStart(
  db: Db,
  userId: string,
  rule: RateLimitRule = PLAYGROUND_START_RATE_LIMIT,
  now = new Date(),
): Promise<void> {
  const decision = await hitRateLimit(db, `playground:${userId}`, rule, now);
  if (!decision.allowed) throw rateLimitedError(`started the playground ${rule.limit} times`, rule, decision);
}

// Starting the playground launches a sandbox for up to 2 minutes, so starts are rate-limited per
// learner (lib/rate-limit.ts, kept in the database): far above trying things by hand, low enough that
// a script cannot keep the playground slots and the machine busy.
import type { Db } from "../db/client.ts";
import { lockForTransaction } from "../db/transaction-lock.ts";
import { HttpError } from "../http/errors.ts";
import { countHit, type RateLimitRule } from "../rate-limit.ts";

export const PLAYGROUND_START_RATE_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 };

/** Counts one start; 429 RATE_LIMITED with the wait when the learner has used them up. */
export async function allowPlaygroundStart(
  db: Db,
  userId: string,
  rule: RateLimitRule = PLAYGROUND_START_RATE_LIMIT,
  now = new Date(),
): Promise<void> {
  const key = `playground:${userId}`;
  // Under the learner's lock: on SQLite its first statement writes (no read-then-write deadlock with
  // another process), on PostgreSQL two racing starts cannot both count from the same bucket.
  const decision = await db.$transaction(async (tx) => {
    await lockForTransaction(db, tx, key);
    return countHit(tx, key, rule, now);
  });
  if (decision.allowed) return;
  const seconds = Math.ceil(decision.retryAfterMs / 1000);
  throw new HttpError(
    429,
    "RATE_LIMITED",
    `You have started the playground ${rule.limit} times in ${Math.round(rule.windowMs / 60_000)} minutes. Try again in ${seconds} s.`,
    { retryAfterSeconds: seconds },
  );
}

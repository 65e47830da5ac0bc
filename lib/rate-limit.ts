// Fixed-window rate limits kept in the database, so they hold across app replicas.
import type { Db } from "./db/client.ts";
import { type DbTx, lockForTransaction } from "./db/transaction-lock.ts";
import { HttpError } from "./http/errors.ts";

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}

/**
 * Counts one hit on `key`; denies once `limit` hits fall in the current window. Under the key's lock
 * (lib/db/transaction-lock.ts): two racing hits cannot count from the same bucket, and on SQLite the
 * transaction starts with a write (no read-then-write deadlock with another process).
 */
export async function hitRateLimit(
  db: Db,
  key: string,
  rule: RateLimitRule,
  now = new Date(),
): Promise<RateLimitDecision> {
  return db.$transaction(async (tx) => {
    await lockForTransaction(db, tx, `rate:${key}`);
    return countHit(tx, key, rule, now);
  });
}

/** 429 RATE_LIMITED saying what was done too often ("run 30 gradings"), in what window, and the wait. */
export function rateLimitedError(done: string, rule: RateLimitRule, decision: RateLimitDecision): HttpError {
  const seconds = Math.ceil(decision.retryAfterMs / 1000);
  return new HttpError(
    429,
    "RATE_LIMITED",
    `You have ${done} in ${Math.round(rule.windowMs / 60_000)} minutes. Try again in ${seconds} s.`,
    { retryAfterSeconds: seconds },
  );
}

/** hitRateLimit inside a transaction the caller holds: the hit is undone if that transaction rolls back. */
export async function countHit(
  tx: DbTx,
  key: string,
  rule: RateLimitRule,
  now = new Date(),
): Promise<RateLimitDecision> {
  const windowStart = new Date(now.getTime() - (now.getTime() % rule.windowMs));
  const current = await tx.rateLimitBucket.findUnique({ where: { key } });
  const bucket =
    !current || current.windowStart.getTime() !== windowStart.getTime()
      ? await tx.rateLimitBucket.upsert({
          where: { key },
          create: { key, count: 1, windowStart },
          update: { count: 1, windowStart },
        })
      : await tx.rateLimitBucket.update({ where: { key }, data: { count: { increment: 1 } } });
  const retryAfterMs = windowStart.getTime() + rule.windowMs - now.getTime();
  return {
    allowed: bucket.count <= rule.limit,
    remaining: Math.max(0, rule.limit - bucket.count),
    retryAfterMs,
  };
}

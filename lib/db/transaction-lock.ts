// A lock per key (e.g. one learner) held until the end of a transaction, so that a check and the write
// it decides ("no grading in progress" -> insert one) cannot interleave with another request's.
// - PostgreSQL: a transaction-scoped advisory lock on a hash of the key. Nothing to create or clean
//   up; under READ COMMITTED the second transaction then reads what the first committed.
// - SQLite: the transaction's first statement is a write, which takes the database's write lock at
//   once. A second transaction (another process; in one process the libsql adapter already runs one
//   transaction at a time) waits for it in the busy handler holding no read lock, then reads what the
//   first committed. A transaction that reads first would instead deadlock with the writer's commit
//   and fail with SQLITE_BUSY after the busy timeout.
import { type Db, providerOf } from "./client.ts";
import type { Prisma } from "./generated/sqlite/client.ts";

/** The client an interactive transaction gives its callback. */
export type DbTx = Prisma.TransactionClient;

/** Takes the lock on `key` for the rest of the transaction `tx` (opened on `db`); call it first. */
export async function lockForTransaction(db: Db, tx: DbTx, key: string): Promise<void> {
  if (providerOf(db) === "postgresql") {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    return;
  }
  // A one-statement UPDATE (no row needs to match): SQLite's write lock, nothing changed.
  await tx.rateLimitBucket.updateMany({ where: { key: `lock:${key}` }, data: { count: { increment: 0 } } });
}

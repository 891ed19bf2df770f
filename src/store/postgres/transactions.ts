/**
 * Transactions on the pool. Writes run at READ COMMITTED with row locks (`FOR UPDATE`, `SKIP LOCKED`),
 * which is what makes concurrent nodes safe; a deadlock or serialization failure — possible when two
 * nodes' batches touch the same idempotency keys in different orders — is retried, which is safe
 * because the work inside is a pure transition applied to freshly locked rows.
 */
import type pg from "pg";

/** SQLSTATEs that mean "nothing happened, run it again": serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_TRIES = 5;

type Work<T> = (client: pg.PoolClient) => Promise<T>;

async function once<T>(pool: pg.Pool, begin: string, work: Work<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(begin);
    const value = await work(client);
    await client.query("COMMIT");
    return value;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true; // the connection itself failed: the pool must not hand it out again
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs `work` in one read-write transaction, retried on deadlock or serialization failure. */
export async function inTransaction<T>(pool: pg.Pool, work: Work<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(pool, "BEGIN", work);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= MAX_TRIES || code === undefined || !RETRYABLE.has(code)) throw error;
    }
  }
}

/** Runs `work` on one consistent read-only snapshot (e.g. a page of history and its total). */
export function inSnapshot<T>(pool: pg.Pool, work: Work<T>): Promise<T> {
  return once(pool, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work);
}

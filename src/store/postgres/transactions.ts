/**
 * Transactions and single statements on the pool; their failures come out as jobd's error codes
 * (pg-errors.ts). Writes run at READ COMMITTED with row locks (`FOR UPDATE`, `SKIP LOCKED`),
 * which is what makes concurrent nodes safe; a deadlock or serialization failure — possible when two
 * nodes' batches touch the same idempotency keys in different orders — is retried, which is safe
 * because the work inside is a pure transition applied to freshly locked rows, or one statement on its
 * own (a create), which was undone whole.
 */
import type pg from "pg";
import { toStoreError } from "./pg-errors.js";

/** SQLSTATEs that mean "nothing happened, run it again": serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_TRIES = 5;

type Work<T> = (client: pg.PoolClient) => Promise<T>;

async function once<T>(pool: pg.Pool, begin: string, work: Work<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A checked-out client whose server goes away also emits "error"; unheard, that would crash the process.
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
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
    client.off("error", onError);
    client.release(broken);
  }
}

/** Runs `attempt`, again on deadlock or serialization failure (nothing happened), up to MAX_TRIES. */
async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (tries >= MAX_TRIES || code === undefined || !RETRYABLE.has(code)) throw toStoreError(error);
    }
  }
}

/** Runs `work` in one read-write transaction, retried on deadlock or serialization failure. */
export function inTransaction<T>(pool: pg.Pool, work: Work<T>): Promise<T> {
  return retried(() => once(pool, "BEGIN", work));
}

/** Runs `work` on one consistent read-only snapshot (e.g. a page of history and its total). */
export async function inSnapshot<T>(pool: pg.Pool, work: Work<T>): Promise<T> {
  try {
    return await once(pool, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work);
  } catch (error) {
    throw toStoreError(error);
  }
}

/** Runs one statement on its own (autocommit), retried on deadlock or serialization failure. */
export function runStatement<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  return retried(() => pool.query<R>(sql, params));
}

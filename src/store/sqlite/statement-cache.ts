/**
 * Prepared statements by SQL text. Queries built from filters come in a few shapes (which filters are
 * present, how many values each lists), so the cache is a small LRU: it never grows with the data.
 */
import type { Database, Statement } from "better-sqlite3";

/** Distinct statements kept prepared. */
export const STATEMENT_CACHE_SIZE = 200;

/** A bounded LRU of one connection's prepared statements. */
export class StatementCache {
  readonly #db: Database;
  readonly #capacity: number;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Database, capacity = STATEMENT_CACHE_SIZE) {
    this.#db = db;
    this.#capacity = capacity;
  }

  /** The prepared statement for `sql`, prepared on first use. */
  get(sql: string): Statement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      this.#statements.delete(sql); // re-inserted below: most recently used last
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#db.prepare(sql);
    if (this.#statements.size >= this.#capacity) {
      const oldest = this.#statements.keys().next().value as string;
      this.#statements.delete(oldest);
    }
    this.#statements.set(sql, statement);
    return statement;
  }
}

/**
 * Group commit for a synchronous SQLite connection. Every write queued during one turn of the event
 * loop and the next poll phase (after-next-poll.ts) runs in ONE `BEGIN IMMEDIATE … COMMIT`, and no
 * write's promise settles before that COMMIT returns: with `synchronous=FULL` that is one fsync for the
 * whole group instead of one per write.
 *
 * A write that fails must leave nothing behind while the rest of its group commits. A write of several
 * statements runs inside its own SAVEPOINT (better-sqlite3 turns a nested `db.transaction` into one)
 * and is rolled back to it. A write of at most one statement needs no savepoint — SQLite already
 * undoes a failed statement — and skips it, because a savepoint copies every page the write touches
 * into its journal (measured: about half the CPU of a single create).
 *
 * If SQLite rolls back the whole transaction (some I/O and memory errors do), the writes of the group
 * not yet run are refused without running, so none can slip into autocommit mode, and the COMMIT's
 * failure refuses the rest: nothing of the group is acknowledged.
 *
 * Each write's changes to the job counts (count-deltas.ts) are taken back with it when it fails, and
 * the group's sum is written just before its COMMIT, inside the transaction.
 *
 * Writes queued with `writeCoalesced` and the same `runMany` that follow each other in a group run as
 * one call (the store's single creates: one multi-row INSERT instead of a statement each, 23 → 15 µs
 * per job in raw SQL, 128 per commit), inside one savepoint; if that call fails, each of them is run
 * alone, so a failure still belongs to its own write.
 *
 * Writes that arrive while a commit blocks the thread wait in the kernel and the event loop's queues;
 * they are all picked up in the next turn and form the next group.
 */
import type { Database, Transaction } from "better-sqlite3";
import { afterNextPoll } from "../after-next-poll.js";
import type { CountDeltas } from "./count-deltas.js";

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Set by `writeCoalesced`: `run` is `many([item])[0]`, and neighbours with the same `many` may share a call. */
  coalesce?: { item: unknown; many: (items: readonly unknown[]) => unknown[] };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Batches one connection's writes into one transaction per event-loop turn and the next poll phase. */
export class GroupCommit {
  readonly #db: Database;
  readonly #counts: CountDeltas;
  readonly #runGroup: Transaction<(group: QueuedWrite[]) => Outcome[]>;
  readonly #inSavepoint: Transaction<(run: () => unknown) => unknown>;
  readonly #afterCommit: () => void;
  #queue: QueuedWrite[] = [];
  #scheduled = false;
  #commits = 0;

  /**
   * `counts` collects the job-count changes of the writes; each group's are written before its COMMIT.
   * `afterCommit` runs after each successful COMMIT.
   */
  constructor(db: Database, counts: CountDeltas, afterCommit: () => void = () => {}) {
    this.#db = db;
    this.#counts = counts;
    this.#afterCommit = afterCommit;
    this.#inSavepoint = db.transaction((run: () => unknown) => run());
    this.#runGroup = db.transaction((group: QueuedWrite[]) => {
      const outcomes: Outcome[] = [];
      for (let start = 0; start < group.length; ) {
        const end = coalescedRunEnd(group, start);
        if (end - start > 1) outcomes.push(...this.#attemptTogether(group.slice(start, end)));
        else outcomes.push(this.#attempt(group[start] as QueuedWrite));
        start = end;
      }
      if (db.inTransaction) counts.apply(); // else the COMMIT fails and refuses the whole group
      return outcomes;
    });
  }

  /** Transactions committed so far: with `synchronous=FULL`, the number of fsyncs of the WAL. */
  get commits(): number {
    return this.#commits;
  }

  /** Queues `run` (synchronous SQL, several statements) for the next group, all or nothing. */
  write<T>(run: () => T): Promise<T> {
    return this.#enqueue(() => this.#inSavepoint(run) as T);
  }

  /** Queues `run`, which executes at most one writing statement, for the next group. */
  writeSingle<T>(run: () => T): Promise<T> {
    return this.#enqueue(run);
  }

  /**
   * Queues `item`, written by `runMany` (one statement for one item), for the next group; `runMany` is
   * called once for the consecutive items that share it, and returns their results in order.
   */
  writeCoalesced<I, T>(item: I, runMany: (items: readonly I[]) => T[]): Promise<T> {
    const many = runMany as (items: readonly unknown[]) => unknown[];
    return this.#enqueue(() => runMany([item])[0] as T, { item, many });
  }

  /** Commits everything queued now (the scheduled turn then finds nothing); `close` calls it. */
  flush(): void {
    this.#scheduled = false;
    const group = this.#queue;
    if (group.length === 0) return;
    this.#queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.#runGroup.immediate(group);
      this.#commits++;
    } catch (error) {
      this.#counts.discard();
      for (const write of group) write.reject(error); // the COMMIT failed: nothing of the group is durable
      return;
    }
    this.#afterCommit();
    outcomes.forEach((outcome, i) => {
      const write = group[i] as QueuedWrite;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }

  #enqueue<T>(run: () => T, coalesce?: QueuedWrite["coalesce"]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject, coalesce });
      if (this.#scheduled) return;
      this.#scheduled = true;
      afterNextPoll(() => this.flush());
    });
  }

  /** Coalesced writes in one call and savepoint; if it fails, each alone (its own failure, its own outcome). */
  #attemptTogether(writes: QueuedWrite[]): Outcome[] {
    if (!this.#db.inTransaction) return writes.map((write) => this.#attempt(write));
    const mark = this.#counts.mark();
    const many = writes[0]?.coalesce?.many as (items: readonly unknown[]) => unknown[];
    try {
      const values = this.#inSavepoint(() => many(writes.map((write) => write.coalesce?.item)));
      return writes.map((_, i) => ({ ok: true, value: (values as unknown[])[i] }));
    } catch {
      this.#counts.rollbackTo(mark);
      return writes.map((write) => this.#attempt(write));
    }
  }

  #attempt(write: QueuedWrite): Outcome {
    if (!this.#db.inTransaction)
      return { ok: false, error: new Error("SQLite rolled back the transaction of this write's group") };
    const mark = this.#counts.mark();
    try {
      return { ok: true, value: write.run() };
    } catch (error) {
      this.#counts.rollbackTo(mark);
      return { ok: false, error };
    }
  }
}

/** Where the run of writes from `start` that share one `runMany` ends (start + 1 for any other write). */
function coalescedRunEnd(group: readonly QueuedWrite[], start: number): number {
  const many = group[start]?.coalesce?.many;
  let end = start + 1;
  while (many !== undefined && end < group.length && group[end]?.coalesce?.many === many) end++;
  return end;
}

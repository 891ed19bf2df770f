/**
 * Group commit for a synchronous SQLite connection. Every write queued during one turn of the event
 * loop runs in ONE `BEGIN IMMEDIATE … COMMIT`, each inside its own SAVEPOINT (better-sqlite3 turns a
 * nested `db.transaction` into one), so a write that throws is rolled back alone while the others
 * commit. No write's promise settles before the COMMIT returns: with `synchronous=FULL` that is one
 * fsync for the whole group instead of one per write.
 *
 * Writes that arrive while a commit blocks the thread wait in the kernel and the event loop's queues;
 * they are all picked up in the next turn and form the next group.
 */
import type { Database, Transaction } from "better-sqlite3";

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  readonly #runGroup: Transaction<(group: QueuedWrite[]) => Outcome[]>;
  #queue: QueuedWrite[] = [];
  #scheduled = false;
  #commits = 0;

  constructor(db: Database) {
    const runOne = db.transaction((write: QueuedWrite) => write.run());
    this.#runGroup = db.transaction((group: QueuedWrite[]) =>
      group.map((write): Outcome => {
        try {
          return { ok: true, value: runOne(write) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Transactions committed so far: with `synchronous=FULL`, the number of fsyncs of the WAL. */
  get commits(): number {
    return this.#commits;
  }

  /** Queues `run` (synchronous SQL) for the next group; resolves with its result once committed. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => this.flush());
    });
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
      for (const write of group) write.reject(error); // the COMMIT failed: nothing of the group is durable
      return;
    }
    outcomes.forEach((outcome, i) => {
      const write = group[i] as QueuedWrite;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }
}

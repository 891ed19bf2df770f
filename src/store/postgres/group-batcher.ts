/**
 * Group commit for PostgreSQL writes that arrive one at a time: single creates, and `update`s (the
 * engine's outcomes, remote workers' completes and heartbeats). On its own each would be at least one
 * statement and one WAL flush. Instead the writes queued during one event-loop turn and the next poll
 * phase (after-next-poll.ts, as SQLite's group commit) form one group, written by one transaction with
 * one statement per step for the whole group (creates: one statement in all): one flush for many jobs.
 * Up to MAX_GROUPS_IN_FLIGHT groups run at once; writes that arrive while that many are in flight
 * gather for the next group.
 *
 * A group answers each write on its own, so a write the group refuses (a transition's `conflict`, an
 * unknown id, an idempotency key that changed hands) fails alone while the rest commit. When the whole
 * group fails, one write may be the cause (e.g. a job id already stored), so each is retried alone and
 * only the bad one fails — unless the database is `unavailable`: then every write of the group fails as
 * it is.
 */
import { isJobdError } from "../../domain/errors.js";
import { afterNextPoll } from "../after-next-poll.js";

/** Writes a group in one transaction; answers each item, in input order. */
export type WriteGroup<I, R> = (items: readonly I[]) => Promise<PromiseSettledResult<R>[]>;

interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** Group transactions in flight at once; further writes gather for the next group meanwhile. */
const MAX_GROUPS_IN_FLIGHT = 4;
/** The most writes one group holds. */
const MAX_GROUP_SIZE = 1_000;

/** Gathers concurrent single writes into group transactions. */
export class GroupBatcher<I, R> {
  #waiting: Pending<I, R>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(private readonly writeGroup: WriteGroup<I, R>) {}

  /** Writes `item` with the next group; settles once that group has committed. */
  write(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      afterNextPoll(() => {
        this.#scheduled = false;
        this.#startGroups();
      });
    });
  }

  #startGroups(): void {
    while (this.#inFlight < MAX_GROUPS_IN_FLIGHT && this.#waiting.length > 0) {
      const group = this.#waiting.splice(0, MAX_GROUP_SIZE);
      this.#inFlight++;
      this.#run(group).finally(() => {
        this.#inFlight--;
        this.#startGroups();
      });
    }
  }

  async #run(group: Pending<I, R>[]): Promise<void> {
    let results: PromiseSettledResult<R>[];
    try {
      results = await this.writeGroup(group.map((pending) => pending.item));
    } catch (error) {
      if (group.length === 1 || (isJobdError(error) && error.code === "unavailable"))
        for (const pending of group) pending.reject(error);
      else await Promise.all(group.map((pending) => this.#run([pending])));
      return;
    }
    for (const [i, pending] of group.entries()) {
      const result = results[i] as PromiseSettledResult<R>;
      if (result.status === "fulfilled") pending.resolve(result.value);
      else pending.reject(result.reason);
    }
  }
}

/**
 * Group commit for single creates. Each create on its own is a transaction and a WAL flush; under load,
 * creates that arrive while earlier groups are committing are gathered and inserted as ONE batch, one
 * transaction — many jobs per flush. When the pool is idle a create goes out at once, so a lone create
 * waits for nothing.
 *
 * A group is all or none, so when it fails (e.g. one job's id is already stored) each of its jobs is
 * retried alone and only the bad one fails.
 */
import type { Job } from "../../domain/job.js";
import type { CreateResult } from "../job-store.js";

interface PendingCreate {
  job: Job;
  resolve: (result: CreateResult) => void;
  reject: (error: unknown) => void;
}

/** Inserts a batch all or none, results in input order (the store's createMany). */
type InsertBatch = (jobs: readonly Job[]) => Promise<CreateResult[]>;

/** Group transactions in flight at once; further creates gather for the next group meanwhile. */
const MAX_GROUPS_IN_FLIGHT = 4;
/** The most jobs one group inserts. */
const MAX_GROUP_SIZE = 1_000;

/** Gathers concurrent single creates into group transactions. */
export class CreateBatcher {
  #waiting: PendingCreate[] = [];
  #inFlight = 0;

  constructor(private readonly insertBatch: InsertBatch) {}

  /** Creates `job` in the next group; resolves once that group has committed. */
  create(job: Job): Promise<CreateResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ job, resolve, reject });
      this.#startGroups();
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

  async #run(group: PendingCreate[]): Promise<void> {
    try {
      const results = await this.insertBatch(group.map((pending) => pending.job));
      for (const [i, pending] of group.entries()) pending.resolve(results[i] as CreateResult);
    } catch (error) {
      if (group.length === 1) group[0]?.reject(error);
      else await Promise.all(group.map((pending) => this.#run([pending])));
    }
  }
}

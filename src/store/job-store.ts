/**
 * The JobStore: one interface every backend implements, and one conformance suite
 * (test/store/conformance/) every backend passes.
 *
 * The seed spec's six methods (`save`, `get`, `list`, `delete`, `getPending`, `cleanup`) are kept as
 * they are; the rest is what the queue and the API need. Every method is atomic on every backend and
 * answers only once its change is durable (for the persistent backends). State changes go through
 * `update`/`updateMany` with a pure transition from src/domain/transitions.ts, so the rules of the job's
 * life exist once and the store only applies them.
 */

import type { StorageBackend } from "../config/persistence.js";
import type { Job, JobStatus } from "../domain/job.js";

/** What a crash can cost: see DESIGN.md §3. */
export type Durability = "none" | "process-crash" | "power-loss";

/** A transition for `update`: returns the next job, or throws a JobdError (e.g. `conflict`). */
export type Transition = (job: Job) => Job;
/** A transition for `updateMany`: returns the next job, or null to leave this job alone. */
export type OptionalTransition = (job: Job) => Job | null;

export interface JobFilter {
  status?: readonly JobStatus[];
  type?: readonly string[];
  queue?: readonly string[];
  /** Only `processing` jobs whose lease ends at or before this time. */
  leaseExpiresBefore?: number;
}

export interface QueryParams extends JobFilter {
  limit: number;
  offset: number;
}

export interface QueryResult {
  /** Newest first: `createdAt` desc, then `id` desc. */
  jobs: Job[];
  /** All jobs matching the filter, ignoring limit and offset. */
  total: number;
}

export interface ClaimRequest {
  workerId: string;
  now: number;
  /** At most this many jobs. */
  limit: number;
  leaseMs: number;
  /** Only these types / queues; absent means any. */
  types?: readonly string[];
  queues?: readonly string[];
}

export type StatusCounts = Record<JobStatus, number>;

export interface JobCounts {
  counts: StatusCounts;
  queues: Record<string, StatusCounts>;
}

export interface CreateResult {
  job: Job;
  /** False when a stored job already had the idempotency key; `job` is then that stored job. */
  created: boolean;
}

/** What a backend can promise, as data; the queue and the conformance suite branch on it. */
export interface StoreCapabilities {
  /** Jobs survive a restart. */
  persistent: boolean;
  /**
   * Only one server uses the store at a time (it holds the data-directory lock), so a `processing`
   * job leased to a previous server's in-process handlers (`local:…`) is known to be interrupted.
   */
  singleNode: boolean;
  /** The store offers `onJobsAvailable`: other nodes' new work wakes this node early (PostgreSQL). */
  notifications?: boolean;
}

export interface JobStore {
  readonly backend: StorageBackend;
  readonly durability: Durability;
  readonly capabilities: StoreCapabilities;

  // The seed spec's methods.
  /** Inserts or replaces a job as given (test factories, imports). Keeps the idempotency index in step. */
  save(job: Job): Promise<void>;
  get(id: string): Promise<Job | null>;
  /** Every stored job, oldest first. */
  list(): Promise<Job[]>;
  /** Deletes a job whatever its state (callers check); true if it existed. Frees its idempotency key. */
  delete(id: string): Promise<boolean>;
  /** Jobs not finished: `queued` and `processing`. */
  getPending(): Promise<Job[]>;
  /** Deletes finished jobs whose `finishedAt` is before `olderThan`; returns how many. */
  cleanup(olderThan: number): Promise<number>;

  // Creating.
  /** Stores a new job unless its idempotency key is taken, in which case the stored job is returned. */
  create(job: Job): Promise<CreateResult>;
  /**
   * All or none. Jobs whose key is taken return the stored job (`created: false`); keys repeated
   * within `jobs` are the caller's error to reject first. Results are in input order.
   */
  createMany(jobs: readonly Job[]): Promise<CreateResult[]>;

  // Running.
  /**
   * Leases up to `limit` due queued jobs to `workerId` (domain `claim`): highest priority first, then
   * earliest `runAt`, then oldest. No job is ever handed to two claimers, even concurrent ones.
   */
  claim(request: ClaimRequest): Promise<Job[]>;
  /** The earliest `runAt` among queued jobs of these types/queues, or null: when to wake next. */
  nextRunAt(filter: Pick<JobFilter, "type" | "queue">): Promise<number | null>;
  /** Applies `transition` to the job atomically. Throws `not_found` if absent, or what the transition throws. */
  update(id: string, transition: Transition): Promise<Job>;
  /**
   * Deletes the job if `guard` accepts it (it throws to refuse, e.g. `conflict`), in one atomic step, so
   * no other writer can change the job between the check and the delete. Returns the deleted job;
   * throws `not_found` if absent.
   */
  remove(id: string, guard: (job: Job) => void): Promise<Job>;
  /** Applies `transition` to every job matching `filter`, in one atomic step; returns the changed jobs. */
  updateMany(filter: JobFilter, transition: OptionalTransition): Promise<Job[]>;

  // Reading.
  query(params: QueryParams): Promise<QueryResult>;
  counts(): Promise<JobCounts>;

  /**
   * Only when `capabilities.notifications`: calls `listener(runAt)` soon after any node (this one
   * included) commits newly queued jobs, `runAt` being the earliest of their due times (in the past:
   * due now), so a dispatcher can wake early. Best effort — keep polling as the fallback. Returns an
   * unsubscribe function.
   */
  onJobsAvailable?(listener: (runAt: number) => void): () => void;

  /** Writes what is buffered and releases files and locks. Safe to call twice. */
  close(): Promise<void>;
}

export const emptyStatusCounts = (): StatusCounts => ({
  queued: 0,
  processing: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
});

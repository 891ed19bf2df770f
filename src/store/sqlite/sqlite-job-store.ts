/**
 * SqliteJobStore: the recommended embedded backend (DESIGN.md §3; docs/sqlite-store.md). One
 * better-sqlite3 connection to `<dataDir>/jobs.db` in WAL mode, owned by this process through the data
 * directory's lock; at `synchronous=NORMAL` a worker thread checkpoints the WAL on a second one
 * (wal-checkpointer.ts).
 *
 * Writes are group-committed (group-commit.ts): all writes of one event-loop turn share one
 * `BEGIN IMMEDIATE … COMMIT`, a failing write is rolled back alone, and each answers only after that
 * COMMIT, so with `synchronous=FULL` (the default, "power-loss") 1,000 concurrent creates cost one
 * commit, not 1,000. `synchronous=NORMAL` ("process-crash") skips the fsync at commit; a killed
 * process loses nothing, a power cut may lose the last commits. Claims, updates and creates read the
 * rows, apply the domain transition and write back inside that transaction: there is one connection
 * and one writer, so two claimers can never be handed the same job.
 *
 * Decisions where the JobStore interface is silent:
 * - Reads run at once on the connection and see only committed writes; a write still waiting for its
 *   group is not visible until its promise resolves.
 * - `create` of an id that exists, and `save`/`update` that would give a job another job's idempotency
 *   key, throw `conflict`.
 * - An empty filter list (`status: []`) matches nothing; an absent one matches everything.
 * - `updateMany` and `list`/`getPending` return jobs oldest first (`createdAt`, then `id`).
 * - A `result` of `undefined` is stored (and read back) as `null`.
 *
 * Known limits: the connection is synchronous, so a long statement (a `list()` of a million jobs, a
 * `cleanup` deleting most of them) blocks the event loop while it runs; history pages with a deep
 * `offset` cost O(offset) index steps; a claim or `nextRunAt` filtered by type or queue steps over the
 * queued jobs of other types in front of its matches (docs/sqlite-store.md). Memory stays bounded: no job cache, SQLite's page cache is
 * capped (open-database.ts) and the statement cache is a small LRU.
 */
import type { Database } from "better-sqlite3";
import type { SqliteSync } from "../../config/persistence.js";
import { invalid, JobdError, notFound } from "../../domain/errors.js";
import type { Job } from "../../domain/job.js";
import { claim } from "../../domain/transitions.js";
import type { StoreLogger } from "../create-store.js";
import type { DataDirLock } from "../data-dir.js";
import {
  type ClaimRequest,
  type CreateResult,
  type Durability,
  emptyStatusCounts,
  type JobCounts,
  type JobFilter,
  type JobStore,
  type OptionalTransition,
  type QueryParams,
  type QueryResult,
  type StoreCapabilities,
  type Transition,
} from "../job-store.js";
import { GroupCommit } from "./group-commit.js";
import { JobTable } from "./job-table.js";
import { openDatabase } from "./open-database.js";
import { WalCheckpointer } from "./wal-checkpointer.js";

/** How to open a SqliteJobStore. */
export interface SqliteJobStoreOptions {
  /** The data directory: `jobs.db` and `jobd.lock` live here. */
  dataDir: string;
  /** `full` (default): survives power loss; `normal`: survives a killed process. */
  sync?: SqliteSync;
  /** Told if the WAL checkpointer thread fails. Defaults to `console`. */
  logger?: StoreLogger;
}

/** The JobStore of `backend: "sqlite"`. */
export class SqliteJobStore implements JobStore {
  readonly backend = "sqlite" as const;
  readonly capabilities: StoreCapabilities = Object.freeze({ persistent: true, singleNode: true });
  readonly durability: Durability;
  readonly #close: () => Promise<void>;
  readonly #table: JobTable;
  readonly #writes: GroupCommit;
  #closing: Promise<void> | undefined;

  /** Takes the data directory's lock and opens (creating or migrating) `jobs.db`. */
  static open({ dataDir, sync = "full", logger = console }: SqliteJobStoreOptions): SqliteJobStore {
    const { db, lock } = openDatabase(dataDir, sync);
    return new SqliteJobStore(db, lock, sync, logger);
  }

  private constructor(db: Database, lock: DataDirLock, sync: SqliteSync, logger: StoreLogger) {
    this.durability = sync === "full" ? "power-loss" : "process-crash";
    this.#table = new JobTable(db);
    // At FULL the WAL is already on disk when SQLite's own checkpoint runs, which then costs little;
    // a worker thread there made commits slower (docs/sqlite-store.md, "WAL checkpoints").
    const checkpointer = sync === "normal" ? new WalCheckpointer(db, logger) : undefined;
    this.#writes = new GroupCommit(db, this.#table.counts, checkpointer && (() => checkpointer.noteCommit()));
    this.#close = async () => {
      // The worker's connection goes first: closing the last connection checkpoints the whole WAL and
      // deletes it, which SQLite skips while another connection is open.
      await checkpointer?.stop();
      db.pragma("analysis_limit = 1000");
      db.pragma("optimize"); // keeps the planner's statistics fresh, as SQLite recommends at close
      db.close();
      lock.release();
    };
  }

  /** Transactions committed so far (each one fsync of the WAL with `synchronous=FULL`). */
  get commits(): number {
    return this.#writes.commits;
  }

  save(job: Job): Promise<void> {
    return this.#writeSingle(() => this.#table.upsert(job));
  }

  get(id: string): Promise<Job | null> {
    return this.#read(() => this.#table.byId(id));
  }

  list(): Promise<Job[]> {
    return this.#read(() => this.#table.select({}));
  }

  delete(id: string): Promise<boolean> {
    return this.#writeSingle(() => this.#table.delete(id));
  }

  getPending(): Promise<Job[]> {
    return this.#read(() => this.#table.select({ status: ["queued", "processing"] }));
  }

  cleanup(olderThan: number): Promise<number> {
    return this.#writeSingle(() => this.#table.deleteFinishedBefore(olderThan));
  }

  /**
   * A job without an idempotency key is always new: the creates of a group share multi-row INSERTs
   * (group-commit.ts, `writeCoalesced`). One with a key may find its job already stored.
   */
  create(job: Job): Promise<CreateResult> {
    if (job.idempotencyKey === null) {
      if (this.#closing !== undefined) return Promise.reject(closedError());
      return this.#writes.writeCoalesced(job, this.#insertNew);
    }
    return this.#writeSingle(() => {
      const result = this.#planCreate(job);
      if (result.created) this.#table.insert(job);
      return result;
    });
  }

  /** Stores jobs that hold no idempotency key, in order (one function, so the group commit can coalesce). */
  readonly #insertNew = (jobs: readonly Job[]): CreateResult[] => {
    this.#table.insertMany(jobs);
    return jobs.map((job) => ({ job, created: true }));
  };

  /** All or none: the batch is one savepoint. The same idempotency key twice in `jobs` is `invalid_request`. */
  createMany(jobs: readonly Job[]): Promise<CreateResult[]> {
    return this.#write(() => {
      rejectRepeatedKeys(jobs);
      const results = jobs.map((job) => this.#planCreate(job));
      this.#table.insertMany(results.filter((result) => result.created).map((result) => result.job));
      return results;
    });
  }

  /** A claim of one job is one UPDATE, so it needs no savepoint; a claim of several does. */
  claim(request: ClaimRequest): Promise<Job[]> {
    const { workerId, leaseMs, now } = request;
    const run = () =>
      this.#table.claimable({ ...request, limit: Math.max(0, request.limit) }).map((job) => {
        const claimed = claim(job, { workerId, leaseMs, now });
        this.#table.update(job, claimed);
        return claimed;
      });
    return request.limit <= 1 ? this.#writeSingle(run) : this.#write(run);
  }

  nextRunAt(filter: Pick<JobFilter, "type" | "queue">): Promise<number | null> {
    return this.#read(() => this.#table.earliestRunAt(filter));
  }

  update(id: string, transition: Transition): Promise<Job> {
    return this.#writeSingle(() => {
      const job = this.#table.byId(id);
      if (job === null) throw notFound(id);
      const next = transition(job);
      this.#table.update(job, next);
      return next;
    });
  }

  remove(id: string, guard: (job: Job) => void): Promise<Job> {
    return this.#writeSingle(() => {
      const job = this.#table.byId(id);
      if (job === null) throw notFound(id);
      guard(job);
      this.#table.delete(id);
      return job;
    });
  }

  updateMany(filter: JobFilter, transition: OptionalTransition): Promise<Job[]> {
    return this.#write(() => {
      const changed: Job[] = [];
      for (const job of this.#table.select(filter)) {
        const next = transition(job);
        if (next === null) continue;
        this.#table.update(job, next);
        changed.push(next);
      }
      return changed;
    });
  }

  query(params: QueryParams): Promise<QueryResult> {
    return this.#read(() => ({ jobs: this.#table.page(params), total: this.#table.count(params) }));
  }

  counts(): Promise<JobCounts> {
    return this.#read(() => {
      const result: JobCounts = { counts: emptyStatusCounts(), queues: {} };
      for (const { status, queue, n } of this.#table.countByStatusAndQueue()) {
        result.counts[status] += n;
        result.queues[queue] ??= emptyStatusCounts();
        result.queues[queue][status] += n;
      }
      return result;
    });
  }

  /** Commits what is queued, stops the checkpointer, closes the database, releases the lock. Safe to call twice. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#writes.flush();
      this.#closing = this.#close();
    }
    return this.#closing;
  }

  /** Whether `job` is new, or its idempotency key is taken (then the stored job is the answer). */
  #planCreate(job: Job): CreateResult {
    const existing = job.idempotencyKey === null ? null : this.#table.byIdempotencyKey(job.idempotencyKey);
    return existing === null ? { job, created: true } : { job: existing, created: false };
  }

  #write<T>(run: () => T): Promise<T> {
    if (this.#closing !== undefined) return Promise.reject(closedError());
    return this.#writes.write(run);
  }

  /** For a write of at most one statement (see group-commit.ts). */
  #writeSingle<T>(run: () => T): Promise<T> {
    if (this.#closing !== undefined) return Promise.reject(closedError());
    return this.#writes.writeSingle(run);
  }

  #read<T>(run: () => T): Promise<T> {
    if (this.#closing !== undefined) return Promise.reject(closedError());
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

function rejectRepeatedKeys(jobs: readonly Job[]): void {
  const keys = new Set<string>();
  for (const { idempotencyKey: key } of jobs) {
    if (key === null) continue;
    if (keys.has(key)) throw invalid(`idempotency key "${key}" appears twice in one batch`);
    keys.add(key);
  }
}

const closedError = () => new JobdError("unavailable", "the SQLite job store is closed");

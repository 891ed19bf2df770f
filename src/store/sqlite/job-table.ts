/**
 * Synchronous reads and writes of the `jobs` table, in `Job`s. It knows SQL, not job rules: the store
 * decides what to write, inside which transaction. Every statement is prepared once and cached. Each
 * write records, once it has succeeded, how it changed the job counts (`counts`, count-deltas.ts).
 */
import type { Database } from "better-sqlite3";
import { conflict } from "../../domain/errors.js";
import type { Job, JobStatus } from "../../domain/job.js";
import type { ClaimRequest, JobFilter, QueryParams } from "../job-store.js";
import { CountDeltas } from "./count-deltas.js";
import { appendRow, changedColumns, type JobRow, jobToRow, rowToJob } from "./job-row.js";
import {
  COUNT_BY_STATUS_AND_QUEUE_SQL,
  claimSql,
  countSql,
  DELETE_BY_ID_SQL,
  DELETE_FINISHED_SQL,
  FINISHED_COUNTS_SQL,
  INSERT_CHUNK,
  INSERT_SQL,
  insertRowsSql,
  nextRunSql,
  pageSql,
  SELECT_BY_ID_SQL,
  SELECT_BY_KEY_SQL,
  SELECT_BY_ROWID_SQL,
  SELECT_COUNTED_BY_ID_SQL,
  type SqlWithParams,
  selectSql,
  UPSERT_SQL,
  updateSql,
} from "./job-sql.js";
import { StatementCache } from "./statement-cache.js";

/** One `GROUP BY status, queue` row of `countByStatusAndQueue`. */
export interface StatusQueueCount {
  status: JobStatus;
  queue: string;
  n: number;
}

/** The columns a job is counted by. */
type Counted = Pick<Job, "status" | "queue">;

/** The largest power of two up to INSERT_CHUNK that fits in `remaining`: few statement shapes. */
function chunkSize(remaining: number): number {
  let size = INSERT_CHUNK;
  while (size > remaining) size >>= 1;
  return size;
}

/** The `jobs` table of one connection, read and written in `Job`s. */
export class JobTable {
  /** The count changes of the writes not yet committed; GroupCommit applies them at COMMIT. */
  readonly counts: CountDeltas;
  readonly #statements: StatementCache;

  constructor(db: Database) {
    this.#statements = new StatementCache(db);
    this.counts = new CountDeltas(db);
  }

  insert(job: Job): void {
    this.#writeRow(INSERT_SQL, job);
    this.counts.add(job.status, job.queue, 1);
  }

  /**
   * Inserts `jobs` with multi-row INSERTs of up to INSERT_CHUNK rows. Inside a savepoint each statement
   * journals the pages it touches, so one statement per chunk instead of per row saves CPU (measured).
   */
  insertMany(jobs: readonly Job[]): void {
    for (let start = 0; start < jobs.length; ) {
      const size = chunkSize(jobs.length - start);
      const values: unknown[] = [];
      for (let i = start; i < start + size; i++) appendRow(values, jobs[i] as Job);
      this.#guardUnique(size === 1 ? jobs[start] : undefined, () =>
        this.#statements.get(insertRowsSql(size)).run(values),
      );
      start += size;
    }
    for (const job of jobs) this.counts.add(job.status, job.queue, 1);
  }

  /** Inserts, or replaces the stored job with the same id. */
  upsert(job: Job): void {
    const stored = this.#statements.get(SELECT_COUNTED_BY_ID_SQL).get(job.id) as Counted | undefined;
    this.#writeRow(UPSERT_SQL, job);
    if (stored === undefined) this.counts.add(job.status, job.queue, 1);
    else this.counts.move(stored, job);
  }

  byId(id: string): Job | null {
    return this.#one(SELECT_BY_ID_SQL, id);
  }

  byIdempotencyKey(key: string): Job | null {
    return this.#one(SELECT_BY_KEY_SQL, key);
  }

  /** Writes the columns in which `next` differs from `previous` (the stored row). */
  update(previous: Job, next: Job): void {
    const { columns, values } = changedColumns(previous, next);
    if (columns.length === 0) return;
    this.#guardUnique(next, () => this.#statements.get(updateSql(columns)).run(...values, previous.id));
    this.counts.move(previous, next);
  }

  delete(id: string): boolean {
    const deleted = this.#statements.get(DELETE_BY_ID_SQL).get(id) as Counted | undefined;
    if (deleted !== undefined) this.counts.add(deleted.status, deleted.queue, -1);
    return deleted !== undefined;
  }

  /** Counts what it will delete first (the same index range), so no row needs returning. */
  deleteFinishedBefore(olderThan: number): number {
    const groups = this.#statements.get(FINISHED_COUNTS_SQL).all(olderThan) as StatusQueueCount[];
    const deleted = this.#statements.get(DELETE_FINISHED_SQL).run(olderThan).changes;
    for (const { status, queue, n } of groups) this.counts.add(status, queue, -n);
    return deleted;
  }

  /** Matching jobs, oldest first. */
  select(filter: JobFilter): Job[] {
    return this.#all(selectSql(filter));
  }

  /** Due queued jobs in claim order (highest priority, earliest run_at, oldest), at most `limit`. */
  claimable(request: ClaimRequest): Job[] {
    const { sql, params } = claimSql(request);
    const rowids = this.#statements
      .get(sql)
      .pluck()
      .all(...params) as number[];
    const byRowid = this.#statements.get(SELECT_BY_ROWID_SQL).raw();
    return rowids.map((rowid) => rowToJob(byRowid.get(rowid) as JobRow));
  }

  earliestRunAt(filter: Pick<JobFilter, "type" | "queue">): number | null {
    return (this.#value(nextRunSql(filter)) as number | undefined) ?? null;
  }

  /** A history page, newest first. */
  page(params: QueryParams): Job[] {
    return this.#all(pageSql(params));
  }

  count(filter: JobFilter): number {
    return this.#value(countSql(filter)) as number;
  }

  countByStatusAndQueue(): StatusQueueCount[] {
    return this.#statements.get(COUNT_BY_STATUS_AND_QUEUE_SQL).all() as StatusQueueCount[];
  }

  #one(sql: string, value: string): Job | null {
    const row = this.#statements.get(sql).raw().get(value) as JobRow | undefined;
    return row === undefined ? null : rowToJob(row);
  }

  /** The first column of the first row. */
  #value({ sql, params }: SqlWithParams): unknown {
    return this.#statements
      .get(sql)
      .pluck()
      .get(...params);
  }

  #all({ sql, params }: SqlWithParams): Job[] {
    return (
      this.#statements
        .get(sql)
        .raw()
        .all(...params) as JobRow[]
    ).map(rowToJob);
  }

  #writeRow(sql: string, job: Job): void {
    this.#guardUnique(job, () => this.#statements.get(sql).run(jobToRow(job)));
  }

  /** Turns a unique-constraint failure into `conflict`, naming what was taken (or its batch's). */
  #guardUnique(job: Job | undefined, write: () => unknown): void {
    try {
      write();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "SQLITE_CONSTRAINT_PRIMARYKEY")
        throw conflict(job ? `job ${job.id} already exists` : "a job of this batch already exists");
      if (code === "SQLITE_CONSTRAINT_UNIQUE")
        throw conflict(
          job
            ? `idempotency key "${job.idempotencyKey}" belongs to another job`
            : "an idempotency key of this batch belongs to another job",
        );
      throw error;
    }
  }
}

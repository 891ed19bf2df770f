/**
 * PostgresJobStore: several jobd nodes share one PostgreSQL database (DESIGN.md §1, §3).
 *
 * Every write is one transaction at READ COMMITTED: rows are locked (`FOR UPDATE`), the domain's pure
 * transition is applied in JS, and the changed columns are written back in one batched UPDATE. A create
 * is one statement (insert and notification) that commits on its own, plus a read of the jobs holding
 * keys that were already taken, only when some were; a batch with keys keeps the two in one
 * transaction. Claims lock with `SKIP LOCKED`, so concurrent claimers on any number of nodes never
 * share a job and never wait for each other. Concurrent single creates and concurrent `update`s (the
 * engine's outcomes, remote workers' completes) are group-committed, many in one transaction
 * (group-batcher.ts). Commits are durable ("power-loss") as long as the server keeps `fsync` on;
 * sessions never run with `synchronous_commit = off` (pg-pool.ts).
 *
 * Known limits: no data-directory lock, so recovery may only reclaim expired leases (a `local:` worker
 * may be another live node); text columns cannot hold U+0000 (job-row.ts); notifications are best
 * effort (job-notifier.ts); `counts` and history totals are exact `count(*)`s, whose cost grows with
 * the table; an update waits for the slowest row lock of its group. docs/postgres.md has the
 * operator's view.
 */
import type pg from "pg";
import { invalid, isJobdError, notFound } from "../../domain/errors.js";
import type { Job } from "../../domain/job.js";
import { claim } from "../../domain/transitions.js";
import type {
  ClaimRequest,
  CreateResult,
  JobCounts,
  JobFilter,
  JobStore,
  OptionalTransition,
  QueryParams,
  QueryResult,
  StoreCapabilities,
  Transition,
} from "../job-store.js";
import { emptyStatusCounts } from "../job-store.js";
import { GroupBatcher } from "./group-batcher.js";
import { JobNotifier, type JobsAvailableListener } from "./job-notifier.js";
import { type JobRow, jobFromRow, jobToRow } from "./job-row.js";
import { JobSql } from "./job-sql.js";
import { type JobUpdate, JobWriter, type RunSql } from "./job-writer.js";
import { migrate } from "./migrations.js";
import { type PgNames, pgNames } from "./pg-names.js";
import { createPool, unreachable } from "./pg-pool.js";
import { inSnapshot, inTransaction, runStatement } from "./transactions.js";

/** Where and how to connect; `openStore` fills `connectionString` from `PersistenceConfig.databaseUrl`. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/db` (`--database-url`); required. */
  connectionString: string | undefined;
  /** The schema holding jobd's tables (created if missing); default `jobd`. */
  schema?: string;
  /** Connections in this node's pool; default 10. */
  poolSize?: number;
}

/** The values, in order; the first rejection's reason is thrown instead. */
function valuesOrThrow<T>(results: readonly PromiseSettledResult<T>[]): T[] {
  return results.map((result) => {
    if (result.status === "rejected") throw result.reason;
    return result.value;
  });
}

/** Jobs per locked page in `updateMany`: bounds memory, not atomicity (all pages are one transaction). */
const UPDATE_PAGE_SIZE = 1_000;

/** The JobStore on PostgreSQL, shared by any number of jobd nodes. */
export class PostgresJobStore implements JobStore {
  readonly backend = "postgres" as const;
  readonly durability = "power-loss" as const;
  readonly capabilities: StoreCapabilities = { persistent: true, singleNode: false, notifications: true };
  readonly #pool: pg.Pool;
  readonly #sql: JobSql;
  readonly #writer: JobWriter;
  readonly #notifier: JobNotifier;
  /** One statement on its own, committed at once; connection failures come out `unavailable`. */
  readonly #autocommit: RunSql = <R extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
    runStatement<R>(this.#pool, sql, params);
  // Single creates are independent, so a group needs no transaction: its insert is one statement.
  readonly #creates = new GroupBatcher<Job, CreateResult>((jobs) =>
    this.#writer.create(this.#autocommit, jobs),
  );
  readonly #updates = new GroupBatcher<JobUpdate, Job>((updates) =>
    inTransaction(this.#pool, (client) => this.#writer.update(client, updates)),
  );
  #closing: Promise<void> | null = null;

  private constructor(pool: pg.Pool, names: PgNames, connectionString: string) {
    this.#pool = pool;
    this.#sql = new JobSql(names);
    this.#writer = new JobWriter(this.#sql);
    this.#notifier = new JobNotifier(connectionString, names);
  }

  /** Connects and brings the schema up to date (race-safe across nodes); `unavailable` if it cannot. */
  static async open({ connectionString, schema, poolSize }: PostgresStoreOptions): Promise<PostgresJobStore> {
    if (!connectionString)
      throw invalid("the postgres backend needs a database URL (--database-url or JOBD_DATABASE_URL)");
    const names = pgNames(schema);
    const pool = createPool(connectionString, poolSize);
    try {
      await migrate(pool, names);
    } catch (error) {
      await pool.end();
      throw isJobdError(error) && error.code !== "unavailable" ? error : unreachable(connectionString, error);
    }
    return new PostgresJobStore(pool, names, connectionString);
  }

  async save(job: Job): Promise<void> {
    await runStatement(this.#pool, this.#sql.upsert(), [JSON.stringify([jobToRow(job)])]);
  }

  async get(id: string): Promise<Job | null> {
    const { rows } = await runStatement<JobRow>(this.#pool, this.#sql.selectByIds(), [[id]]);
    return rows[0] ? jobFromRow(rows[0]) : null;
  }

  list(): Promise<Job[]> {
    return this.#selectAll(false);
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await runStatement(this.#pool, this.#sql.deleteById(), [id]);
    return (rowCount ?? 0) > 0;
  }

  getPending(): Promise<Job[]> {
    return this.#selectAll(true);
  }

  async cleanup(olderThan: number): Promise<number> {
    const { rowCount } = await runStatement(this.#pool, this.#sql.deleteFinishedBefore(), [olderThan]);
    return rowCount ?? 0;
  }

  create(job: Job): Promise<CreateResult> {
    return this.#creates.write(job);
  }

  async createMany(jobs: readonly Job[]): Promise<CreateResult[]> {
    if (jobs.length === 0) return [];
    // Without idempotency keys nothing is skipped: the insert is the whole batch, atomic on its own. With
    // keys, the read of the skipped keys' jobs may find one deleted meanwhile and refuse the batch; it
    // shares the insert's transaction so that the refusal undoes the batch's inserts (all or none).
    if (jobs.every((job) => job.idempotencyKey === null))
      return valuesOrThrow(await this.#writer.create(this.#autocommit, jobs));
    return inTransaction(this.#pool, async (client) => {
      const run: RunSql = <R extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
        client.query<R>(sql, params);
      return valuesOrThrow(await this.#writer.create(run, jobs));
    });
  }

  claim(request: ClaimRequest): Promise<Job[]> {
    if (request.limit <= 0) return Promise.resolve([]);
    const { workerId, leaseMs, now } = request;
    return inTransaction(this.#pool, async (client) => {
      const { sql, params } = this.#sql.claim(request);
      const { rows } = await client.query<JobRow>(sql, params);
      const changes = rows
        .map(jobFromRow)
        .map((job) => [job, claim(job, { workerId, leaseMs, now })] as const);
      await this.#writer.write(client, changes);
      return changes.map(([, claimed]) => claimed);
    });
  }

  async nextRunAt(filter: Pick<JobFilter, "type" | "queue">): Promise<number | null> {
    const { sql, params } = this.#sql.nextRunAt(filter);
    const { rows } = await runStatement<{ run_at: number | null }>(this.#pool, sql, params);
    return rows[0]?.run_at ?? null;
  }

  update(id: string, transition: Transition): Promise<Job> {
    return this.#updates.write({ id, transition });
  }

  remove(id: string, guard: (job: Job) => void): Promise<Job> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<JobRow>(this.#sql.lockByIds(), [[id]]);
      if (!rows[0]) throw notFound(id);
      const job = jobFromRow(rows[0]);
      guard(job);
      await client.query(this.#sql.deleteById(), [id]);
      return job;
    });
  }

  updateMany(filter: JobFilter, transition: OptionalTransition): Promise<Job[]> {
    return inTransaction(this.#pool, async (client) => {
      const updated: Job[] = [];
      for (let afterId = "", more = true; more; ) {
        const { sql, params } = this.#sql.lockPage(filter, afterId, UPDATE_PAGE_SIZE);
        const { rows } = await client.query<JobRow>(sql, params);
        const changes = rows.map(jobFromRow).flatMap((job) => {
          const next = transition(job);
          return next ? [[job, next] as const] : [];
        });
        await this.#writer.write(client, changes);
        updated.push(...changes.map(([, next]) => next));
        afterId = (rows.at(-1)?.id as string | undefined) ?? afterId;
        more = rows.length === UPDATE_PAGE_SIZE;
      }
      return updated;
    });
  }

  query({ limit, offset, ...filter }: QueryParams): Promise<QueryResult> {
    const { page, total } = this.#sql.history(filter, limit, offset);
    return inSnapshot(this.#pool, async (client) => {
      const jobs = (await client.query<JobRow>(page.sql, page.params)).rows.map(jobFromRow);
      const [count] = (await client.query<{ n: number }>(total.sql, total.params)).rows;
      return { jobs, total: count?.n ?? 0 };
    });
  }

  async counts(): Promise<JobCounts> {
    const { rows } = await runStatement<Pick<Job, "queue" | "status"> & { n: number }>(
      this.#pool,
      this.#sql.countByQueueAndStatus(),
    );
    const result: JobCounts = { counts: emptyStatusCounts(), queues: {} };
    for (const { queue, status, n } of rows) {
      result.counts[status] += n;
      result.queues[queue] ??= emptyStatusCounts();
      result.queues[queue][status] += n;
    }
    return result;
  }

  onJobsAvailable(listener: JobsAvailableListener): () => void {
    return this.#notifier.subscribe(listener);
  }

  /** Resolves once the listening connection is up: a test (or a careful caller) can then act. */
  notificationsReady(): Promise<void> {
    return this.#notifier.ready();
  }

  close(): Promise<void> {
    this.#closing ??= this.#notifier.close().then(() => this.#pool.end());
    return this.#closing;
  }

  async #selectAll(pendingOnly: boolean): Promise<Job[]> {
    const { rows } = await runStatement<JobRow>(this.#pool, this.#sql.selectAll(pendingOnly));
    return rows.map(jobFromRow);
  }
}

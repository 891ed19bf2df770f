/**
 * The bulk writes every store operation ends in: inserting new jobs (idempotency keys respected), one
 * statement that commits on its own or inside the caller's transaction; and writing back transitioned
 * jobs inside the caller's transaction — for a group of `update`s, locking their rows and applying their
 * transitions first. Writes announce newly queued work on the notification channel, delivered when the
 * transaction commits.
 */
import type pg from "pg";
import { JobdError, notFound } from "../../domain/errors.js";
import type { Job } from "../../domain/job.js";
import type { CreateResult, Transition } from "../job-store.js";
import { type JobRow, jobFromRow, jobToRow } from "./job-row.js";
import { changedColumns, type JobSql } from "./job-sql.js";

/** A job before and after its transition. */
export type JobChange = readonly [before: Job, after: Job];

/** Runs one statement: on a transaction's client, or on its own (autocommit). */
export type RunSql = <R extends pg.QueryResultRow>(
  sql: string,
  params: unknown[],
) => Promise<pg.QueryResult<R>>;

/** One `update` call: the job it names and the transition to apply. */
export interface JobUpdate {
  id: string;
  transition: Transition;
}

const settle = <T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> =>
  promise.then(
    (value) => ({ status: "fulfilled", value }),
    (reason: unknown) => ({ status: "rejected", reason }),
  );

/** Inserts and write-backs, with their notifications. */
export class JobWriter {
  constructor(private readonly sql: JobSql) {}

  /**
   * Creates `jobs`, answering each on its own, in input order. One statement inserts them and announces
   * the inserted ones (job-sql.ts `insertAndAnnounce`); a job whose idempotency key is already stored is
   * skipped, and only then a second statement reads the jobs holding those keys. On `autocommit` the
   * insert has committed before that read: its jobs are created whatever the read does.
   */
  async create(run: RunSql, jobs: readonly Job[]): Promise<PromiseSettledResult<CreateResult>[]> {
    const { rows } = await run<{ ids: string[] }>(this.sql.insertAndAnnounce(), [
      JSON.stringify(jobs.map((job) => jobToRow(job))),
    ]);
    const inserted = new Set(rows[0]?.ids);
    const skipped = jobs.filter((job) => !inserted.has(job.id));
    const stored = await settle(this.#storedByKey(run, skipped));
    return jobs.map((job): PromiseSettledResult<CreateResult> => {
      if (inserted.has(job.id)) return { status: "fulfilled", value: { job, created: true } };
      if (stored.status === "rejected") return stored;
      const existing = stored.value.get(job.idempotencyKey as string);
      // ON CONFLICT DO NOTHING locks nothing, so at READ COMMITTED the key's job may be deleted before
      // this read — after the insert's commit as well as inside its transaction, where the read took a
      // fresh snapshot too. Either way this job was not inserted, so it alone may simply be retried.
      if (!existing)
        return {
          status: "rejected",
          reason: new JobdError("conflict", `idempotency key "${job.idempotencyKey}" changed hands; retry`),
        };
      return { status: "fulfilled", value: { job: existing, created: false } };
    });
  }

  /** Writes back the columns the transitions changed, for every job in one UPDATE. */
  async write(client: pg.PoolClient, changes: readonly JobChange[]): Promise<void> {
    const columns = changedColumns(changes);
    if (columns.length === 0) return;
    const rows = changes.map(([, after]) => jobToRow(after, columns));
    const ids = changes.map(([, after]) => after.id);
    await client.query(this.sql.updateColumns(columns), [JSON.stringify(rows), ids]);
    await this.#announce(
      client,
      changes
        .filter(
          ([before, after]) =>
            after.status === "queued" && (before.status !== "queued" || before.runAt !== after.runAt),
        )
        .map(([, after]) => after),
    );
  }

  /**
   * Applies a group of updates: locks their rows (one statement), applies each transition in order —
   * a job named twice sees the first one's result — and writes every change back (one statement).
   * Each update is answered on its own: a transition that throws, or an unknown id, fails alone.
   */
  async update(client: pg.PoolClient, updates: readonly JobUpdate[]): Promise<PromiseSettledResult<Job>[]> {
    const ids = [...new Set(updates.map((update) => update.id))];
    const { rows } = await client.query<JobRow>(this.sql.lockByIds(), [ids]);
    const stored = new Map(rows.map(jobFromRow).map((job) => [job.id, job]));
    const current = new Map(stored);
    const results = updates.map(({ id, transition }): PromiseSettledResult<Job> => {
      const before = current.get(id);
      if (!before) return { status: "rejected", reason: notFound(id) };
      try {
        const after = transition(before);
        current.set(id, after);
        return { status: "fulfilled", value: after };
      } catch (reason) {
        return { status: "rejected", reason };
      }
    });
    const changes = [...stored.values()]
      .map((before) => [before, current.get(before.id) as Job] as const)
      .filter(([before, after]) => before !== after);
    await this.write(client, changes);
    return results;
  }

  async #storedByKey(run: RunSql, jobs: readonly Job[]): Promise<Map<string, Job>> {
    const keys = jobs.map((job) => job.idempotencyKey).filter((key): key is string => key !== null);
    if (keys.length === 0) return new Map();
    const { rows } = await run<JobRow>(this.sql.selectByKeys(), [keys]);
    return new Map(rows.map(jobFromRow).map((job) => [job.idempotencyKey as string, job]));
  }

  /** Tells listening nodes the earliest due time among `queued` (sent only if the transaction commits). */
  async #announce(client: pg.PoolClient, queued: readonly Job[]): Promise<void> {
    if (queued.length === 0) return;
    const earliest = Math.min(...queued.map((job) => job.runAt));
    await client.query(this.sql.notify(), [String(earliest)]);
  }
}

/**
 * The bulk writes every store operation ends in, each one statement inside the caller's transaction:
 * inserting new jobs (idempotency keys respected) and writing back transitioned jobs — and, for a group
 * of `update`s, locking their rows and applying their transitions first. Writes announce newly queued
 * work on the notification channel, delivered when the transaction commits.
 */
import type pg from "pg";
import { JobdError, notFound } from "../../domain/errors.js";
import type { Job } from "../../domain/job.js";
import type { CreateResult, Transition } from "../job-store.js";
import { type JobRow, jobFromRow, jobToRow } from "./job-row.js";
import { changedColumns, type JobSql } from "./job-sql.js";

/** A job before and after its transition. */
export type JobChange = readonly [before: Job, after: Job];

/** One `update` call: the job it names and the transition to apply. */
export interface JobUpdate {
  id: string;
  transition: Transition;
}

/** Inserts and write-backs on a transaction's client, with their notifications. */
export class JobWriter {
  constructor(private readonly sql: JobSql) {}

  /**
   * Inserts `jobs` in one statement; a job whose idempotency key is already stored is not inserted and
   * the stored job is returned instead. Results are in input order.
   */
  async insert(client: pg.PoolClient, jobs: readonly Job[]): Promise<CreateResult[]> {
    const { rows } = await client.query<{ id: string }>(this.sql.insertMany(), [
      JSON.stringify(jobs.map((job) => jobToRow(job))),
    ]);
    const inserted = new Set(rows.map((row) => row.id));
    const stored = await this.#storedByKey(
      client,
      jobs.filter((job) => !inserted.has(job.id)),
    );
    await this.#announce(
      client,
      jobs.filter((job) => inserted.has(job.id)),
    );
    return jobs.map((job) => {
      if (inserted.has(job.id)) return { job, created: true };
      const existing = stored.get(job.idempotencyKey as string);
      // The key's job was deleted between our insert and this read: the caller may simply retry.
      if (!existing)
        throw new JobdError("conflict", `idempotency key "${job.idempotencyKey}" changed hands; retry`);
      return { job: existing, created: false };
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

  async #storedByKey(client: pg.PoolClient, jobs: readonly Job[]): Promise<Map<string, Job>> {
    const keys = jobs.map((job) => job.idempotencyKey).filter((key): key is string => key !== null);
    if (keys.length === 0) return new Map();
    const { rows } = await client.query<JobRow>(this.sql.selectByKeys(), [keys]);
    return new Map(rows.map(jobFromRow).map((job) => [job.idempotencyKey as string, job]));
  }

  /** Tells listening nodes the earliest due time among `queued` (sent only if the transaction commits). */
  async #announce(client: pg.PoolClient, queued: readonly Job[]): Promise<void> {
    if (queued.length === 0) return;
    const earliest = Math.min(...queued.map((job) => job.runAt));
    await client.query(this.sql.notify(), [String(earliest)]);
  }
}

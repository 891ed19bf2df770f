/**
 * Rows of the `jobs` table ↔ `Job`s. A row is the values of the columns of ../job-columns.ts (names
 * shared with PostgreSQL) in that order: statements select that column list explicitly and
 * better-sqlite3 returns it in raw mode, which skips building an object per row (measured: a third of
 * a claim's cost). Timestamps are INTEGER epoch milliseconds as in `Job`; `payload` and `result` are
 * JSON text (never SQL NULL, so JSON `null` round-trips as itself).
 */
import type { Job, JobStatus, JsonValue } from "../../domain/job.js";
import { FIELD_COLUMNS } from "../job-columns.js";

/** A `jobs` row in raw mode: one value per column of FIELD_COLUMNS, in order. */
export type JobRow = unknown[];

/** The column names of a set of changed columns, for `UPDATE … SET`. */
export type ChangedColumns = readonly string[];

const FIELDS = FIELD_COLUMNS.map(([field]) => field);
const IS_JSON = FIELDS.map((field) => field === "payload" || field === "result");

/** `undefined` (a transition that set no result) is stored as JSON null. */
const toJsonText = (value: unknown) => JSON.stringify((value as JsonValue | undefined) ?? null);

// rowToJob and appendRow spell out the columns of FIELD_COLUMNS in order instead of looping over them:
// a job assembled key by key is a dictionary-mode object that every later spread and read pays for,
// and a loop over computed keys cost ~0.6 µs per row written (test/store/sqlite-row.test.ts checks
// the order against FIELD_COLUMNS).

/** The job a raw row holds. */
export function rowToJob(r: JobRow): Job {
  return {
    id: r[0] as string,
    type: r[1] as string,
    queue: r[2] as string,
    payload: JSON.parse(r[3] as string) as JsonValue,
    status: r[4] as JobStatus,
    priority: r[5] as number,
    attempts: r[6] as number,
    maxAttempts: r[7] as number,
    runAt: r[8] as number,
    timeoutMs: r[9] as number | null,
    idempotencyKey: r[10] as string | null,
    progress: r[11] as number | null,
    result: JSON.parse(r[12] as string) as JsonValue,
    error: r[13] as string | null,
    workerId: r[14] as string | null,
    leaseExpiresAt: r[15] as number | null,
    leaseMs: r[16] as number | null,
    createdAt: r[17] as number,
    updatedAt: r[18] as number,
    startedAt: r[19] as number | null,
    finishedAt: r[20] as number | null,
  };
}

/** Appends the raw row (INSERT values) of `job` to `values`: a multi-row INSERT's rows one after another. */
export function appendRow(values: unknown[], j: Job): void {
  values.push(
    j.id,
    j.type,
    j.queue,
    toJsonText(j.payload),
    j.status,
    j.priority,
    j.attempts,
    j.maxAttempts,
    j.runAt,
    j.timeoutMs,
    j.idempotencyKey,
    j.progress,
    toJsonText(j.result),
    j.error,
    j.workerId,
    j.leaseExpiresAt,
    j.leaseMs,
    j.createdAt,
    j.updatedAt,
    j.startedAt,
    j.finishedAt,
  );
}

/** The raw row (INSERT values) of a job. */
export function jobToRow(job: Job): JobRow {
  const row: unknown[] = [];
  appendRow(row, job);
  return row;
}

/** The column value of the i-th field: JSON fields serialized, the rest as they are. */
function columnValue(job: Job, i: number): unknown {
  const value = job[FIELDS[i] as keyof Job];
  return IS_JSON[i] ? toJsonText(value) : value;
}

/**
 * The columns a transition changed and their new values. Transitions copy the job with a spread, so
 * an unchanged field keeps its identity and `!==` finds the changes without serializing the payload.
 */
export function changedColumns(before: Job, after: Job): { columns: ChangedColumns; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (let i = 0; i < FIELDS.length; i++) {
    const field = FIELDS[i] as keyof Job;
    if (before[field] === after[field]) continue;
    columns.push((FIELD_COLUMNS[i] as readonly [string, string])[1]);
    values.push(columnValue(after, i));
  }
  return { columns, values };
}

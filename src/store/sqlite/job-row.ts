/**
 * Rows of the `jobs` table ↔ `Job`s. A row is the values of the columns of ../job-columns.ts (names
 * shared with PostgreSQL) in that order: statements select that column list explicitly and
 * better-sqlite3 returns it in raw mode, which skips building an object per row (measured: a third of
 * a claim's cost). Timestamps are INTEGER epoch milliseconds as in `Job`; `payload` and `result` are
 * JSON text (never SQL NULL, so JSON `null` round-trips as itself).
 */
import type { Job, JsonValue } from "../../domain/job.js";
import { FIELD_COLUMNS } from "../job-columns.js";

/** A `jobs` row in raw mode: one value per column of FIELD_COLUMNS, in order. */
export type JobRow = unknown[];

/** The column names of a set of changed columns, for `UPDATE … SET`. */
export type ChangedColumns = readonly string[];

const FIELDS = FIELD_COLUMNS.map(([field]) => field);
const IS_JSON = FIELDS.map((field) => field === "payload" || field === "result");

/** `undefined` (a transition that set no result) is stored as JSON null. */
const toJsonText = (value: unknown) => JSON.stringify((value as JsonValue | undefined) ?? null);

/** The job a raw row holds. */
export function rowToJob(row: JobRow): Job {
  const job: Record<string, unknown> = {};
  for (let i = 0; i < FIELDS.length; i++)
    job[FIELDS[i] as string] = IS_JSON[i] ? JSON.parse(row[i] as string) : row[i];
  return job as unknown as Job;
}

/** The column value of the i-th field: JSON fields serialized, the rest as they are. */
function columnValue(job: Job, i: number): unknown {
  const value = job[FIELDS[i] as keyof Job];
  return IS_JSON[i] ? toJsonText(value) : value;
}

/** The raw row (INSERT values) of a job. */
export function jobToRow(job: Job): JobRow {
  return FIELDS.map((_, i) => columnValue(job, i));
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

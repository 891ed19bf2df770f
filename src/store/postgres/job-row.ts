/**
 * Rows of the PostgreSQL jobs table ↔ Jobs. The columns (named once, in ../job-columns.ts) hold the
 * Job's values as they are: bigint milliseconds come back as numbers (see `pg-pool.ts`), and `payload`
 * and `result` are `json` columns that come back parsed.
 *
 * Writes send rows as one JSON array that `jsonb_to_recordset` reads with `recordDefinition`. The two
 * JSON fields travel inside it as JSON *text* and are cast to `json` in SQL: that keeps them exactly as
 * serialized — `\u0000` in a string included, which jsonb (and de-escaping into text) would refuse.
 */
import { invalid } from "../../domain/errors.js";
import type { Job } from "../../domain/job.js";
import { FIELD_COLUMNS, type JobColumn } from "../job-columns.js";

/** A row of the jobs table as pg returns it, or as sent to `jsonb_to_recordset`. */
export type JobRow = Record<JobColumn, unknown>;

const JSON_COLUMNS: ReadonlySet<JobColumn> = new Set(["payload", "result"]);

/** How each column travels in the JSON array of rows. */
const RECORD_TYPES: Readonly<Record<JobColumn, string>> = {
  id: "text",
  type: "text",
  queue: "text",
  payload: "text",
  status: "text",
  priority: "integer",
  attempts: "integer",
  max_attempts: "integer",
  run_at: "bigint",
  timeout_ms: "bigint",
  idempotency_key: "text",
  progress: "double precision",
  result: "text",
  error: "text",
  worker_id: "text",
  lease_expires_at: "bigint",
  lease_ms: "bigint",
  created_at: "bigint",
  updated_at: "bigint",
  started_at: "bigint",
  finished_at: "bigint",
};

/** `r(id text, type text, …)` for these columns: how `jsonb_to_recordset` types the rows sent. */
export function recordDefinition(columns: readonly JobColumn[]): string {
  return `r(${columns.map((column) => `${column} ${RECORD_TYPES[column]}`).join(", ")})`;
}

/** The SQL value of `column` read from the record `r` (JSON text cast back to `json`). */
export function recordValue(column: JobColumn): string {
  return JSON_COLUMNS.has(column) ? `r.${column}::json` : `r.${column}`;
}

/** The Job a row holds (pg has already parsed its json and bigint columns). */
export function jobFromRow(row: JobRow): Job {
  const job: Record<string, unknown> = {};
  for (const [field, column] of FIELD_COLUMNS) job[field] = row[column];
  return job as unknown as Job;
}

/** The row of `job`, or of just the `only` columns (plus `id`). */
export function jobToRow(job: Job, only?: readonly JobColumn[]): Partial<JobRow> {
  const row: Record<string, unknown> = {};
  for (const [field, column] of FIELD_COLUMNS) {
    if (only && column !== "id" && !only.includes(column)) continue;
    // `undefined` (e.g. a completion without a result) is stored as JSON null.
    row[column] = JSON_COLUMNS.has(column)
      ? JSON.stringify(job[field] ?? null)
      : textSafe(column, job[field]);
  }
  return row;
}

/**
 * PostgreSQL text cannot hold U+0000. In an error message it becomes U+FFFD (the message stays readable
 * and the failure is still recorded); in a value that identifies something (idempotency key, worker id)
 * changing it would change the identity, so it is refused, naming the field.
 */
function textSafe(column: JobColumn, value: unknown): unknown {
  if (typeof value !== "string" || !value.includes("\u0000")) return value;
  if (column === "error") return value.replaceAll("\u0000", "\uFFFD");
  throw invalid(`"${column}" cannot contain the character U+0000 with the postgres backend`);
}

/**
 * Rows of the `jobs` table ↔ `Job`s (the column names, shared with PostgreSQL, are in
 * ../job-columns.ts). Timestamps are INTEGER epoch milliseconds as in `Job`; `payload` and `result` are
 * JSON text (never SQL NULL, so JSON `null` round-trips as itself).
 */
import type { Job, JobStatus, JsonValue } from "../../domain/job.js";
import { FIELD_COLUMNS } from "../job-columns.js";

/** A `jobs` row as better-sqlite3 returns it. */
export interface JobRow {
  id: string;
  type: string;
  queue: string;
  payload: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: number;
  timeout_ms: number | null;
  idempotency_key: string | null;
  progress: number | null;
  result: string;
  error: string | null;
  worker_id: string | null;
  lease_expires_at: number | null;
  lease_ms: number | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const JSON_FIELDS: ReadonlySet<keyof Job> = new Set(["payload", "result"]);

/** `undefined` (a transition that set no result) is stored as JSON null. */
const toJsonText = (value: JsonValue | undefined) => JSON.stringify(value ?? null);

export function rowToJob(row: JobRow): Job {
  return {
    id: row.id,
    type: row.type,
    queue: row.queue,
    payload: JSON.parse(row.payload) as JsonValue,
    status: row.status,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    timeoutMs: row.timeout_ms,
    idempotencyKey: row.idempotency_key,
    progress: row.progress,
    result: JSON.parse(row.result) as JsonValue,
    error: row.error,
    workerId: row.worker_id,
    leaseExpiresAt: row.lease_expires_at,
    leaseMs: row.lease_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** The column value of one field: JSON fields serialized, the rest as they are. */
function columnValue(job: Job, field: keyof Job): unknown {
  return JSON_FIELDS.has(field) ? toJsonText(job[field] as JsonValue) : job[field];
}

export function jobToRow(job: Job): JobRow {
  const row: Record<string, unknown> = {};
  for (const [field, column] of FIELD_COLUMNS) row[column] = columnValue(job, field);
  return row as unknown as JobRow;
}

/**
 * The columns a transition changed, with their new values. Transitions copy the job with a spread, so
 * an unchanged field keeps its identity and `!==` finds the changes without serializing the payload.
 */
export function changedColumns(before: Job, after: Job): Partial<JobRow> {
  const changes: Record<string, unknown> = {};
  for (const [field, column] of FIELD_COLUMNS)
    if (before[field] !== after[field]) changes[column] = columnValue(after, field);
  return changes as Partial<JobRow>;
}

/**
 * The one naming of the jobs table's columns, shared by the SQL backends (SQLite, PostgreSQL): each
 * `Job` field and its snake_case column, in table order. Each backend converts the values its own way
 * (SQLite keeps JSON as text, PostgreSQL as jsonb); the names exist only here.
 */
import type { Job } from "../domain/job.js";

/** Each `Job` field and its column, in table order. */
export const FIELD_COLUMNS = [
  ["id", "id"],
  ["type", "type"],
  ["queue", "queue"],
  ["payload", "payload"],
  ["status", "status"],
  ["priority", "priority"],
  ["attempts", "attempts"],
  ["maxAttempts", "max_attempts"],
  ["runAt", "run_at"],
  ["timeoutMs", "timeout_ms"],
  ["idempotencyKey", "idempotency_key"],
  ["progress", "progress"],
  ["result", "result"],
  ["error", "error"],
  ["workerId", "worker_id"],
  ["leaseExpiresAt", "lease_expires_at"],
  ["leaseMs", "lease_ms"],
  ["createdAt", "created_at"],
  ["updatedAt", "updated_at"],
  ["startedAt", "started_at"],
  ["finishedAt", "finished_at"],
] as const satisfies readonly (readonly [keyof Job, string])[];

/** A column of the jobs table. */
export type JobColumn = (typeof FIELD_COLUMNS)[number][1];

/** The column names, in table order. */
export const JOB_COLUMNS: readonly JobColumn[] = FIELD_COLUMNS.map(([, column]) => column);

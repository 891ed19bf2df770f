/**
 * The SQL text of the jobs table's statements. Type and queue filters become `IN (?, …)` lists of bound
 * values, so the planner knows how many values each has (one value is an equality, which an index
 * serves in order); statuses are literals, so that a partial index can match them (`status = 'queued'`).
 */

import { JOB_STATUSES, type JobStatus } from "../../domain/job.js";
import { JOB_COLUMNS } from "../job-columns.js";
import type { ClaimRequest, JobFilter, QueryParams } from "../job-store.js";

/** A piece of SQL and the values for its `?`s. */
export interface SqlWithParams {
  sql: string;
  params: unknown[];
}

/** Every column, in the order of a JobRow. */
const COLUMN_LIST = JOB_COLUMNS.join(", ");
const VALUES = JOB_COLUMNS.map(() => "?").join(", ");

/** Rows per multi-row INSERT of a batch (a power of two: a batch uses at most log2 + 1 shapes). */
export const INSERT_CHUNK = 64;

/** `INSERT` SQL for 1, 2, 4 … INSERT_CHUNK rows, built once: a batch asks for them chunk after chunk. */
const INSERT_ROWS_SQL = new Map<number, string>();
for (let rows = 1; rows <= INSERT_CHUNK; rows *= 2)
  INSERT_ROWS_SQL.set(
    rows,
    `INSERT INTO jobs (${COLUMN_LIST}) VALUES ${Array(rows).fill(`(${VALUES})`).join(", ")}`,
  );

/** `INSERT` of `rows` rows (JobRows one after another); `rows` is a power of two up to INSERT_CHUNK. */
export function insertRowsSql(rows: number): string {
  const sql = INSERT_ROWS_SQL.get(rows);
  if (sql === undefined)
    throw new RangeError(`no INSERT of ${rows} rows: a power of two up to ${INSERT_CHUNK}`);
  return sql;
}

const UPDATE_ALL = JOB_COLUMNS.filter((column) => column !== "id")
  .map((column) => `${column} = excluded.${column}`)
  .join(", ");

// The fixed statements: the names say what each does.
export const INSERT_SQL = insertRowsSql(1);
export const UPSERT_SQL = `${INSERT_SQL} ON CONFLICT (id) DO UPDATE SET ${UPDATE_ALL}`;
export const SELECT_BY_ID_SQL = `SELECT ${COLUMN_LIST} FROM jobs WHERE id = ?`;
export const SELECT_BY_ROWID_SQL = `SELECT ${COLUMN_LIST} FROM jobs WHERE rowid = ?`;
export const SELECT_BY_KEY_SQL = `SELECT ${COLUMN_LIST} FROM jobs WHERE idempotency_key = ?`;
export const SELECT_COUNTED_BY_ID_SQL = "SELECT status, queue FROM jobs WHERE id = ?";
export const DELETE_BY_ID_SQL = "DELETE FROM jobs WHERE id = ? RETURNING status, queue";
const FINISHED_BEFORE = `FROM jobs INDEXED BY jobs_finished
  WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ?`;
export const DELETE_FINISHED_SQL = `DELETE ${FINISHED_BEFORE}`;
export const FINISHED_COUNTS_SQL = `SELECT status, queue, count(*) AS n ${FINISHED_BEFORE} GROUP BY status, queue`;
export const COUNT_BY_STATUS_AND_QUEUE_SQL = "SELECT status, queue, n FROM job_counts WHERE n > 0";

/** `UPDATE` of just these columns (values in order, then the id of the row). */
export function updateSql(columns: readonly string[]): string {
  return `UPDATE jobs SET ${columns.map((column) => `${column} = ?`).join(", ")} WHERE id = ?`;
}

/** `column IN (?, …)` for each list given; absent lists add nothing (an empty list matches nothing). */
function inLists(lists: ReadonlyArray<readonly [string, readonly unknown[] | undefined]>): SqlWithParams {
  const terms: string[] = [];
  const params: unknown[] = [];
  for (const [column, values] of lists) {
    if (values === undefined) continue;
    terms.push(`${column} IN (${values.map(() => "?").join(", ")})`);
    params.push(...values);
  }
  return { sql: terms.map((term) => ` AND ${term}`).join(""), params };
}

/**
 * ` AND (status = 'a' OR status = 'b')`. Statuses are written as literals, not bound values: a term
 * that names a status lets the planner use the partial index whose predicate it matches (`jobs_claim`
 * for queued, `jobs_lease` for processing, `jobs_failed_history`…). Only JOB_STATUSES can be written.
 */
function statusTerm(statuses: readonly JobStatus[] | undefined): string {
  if (statuses === undefined) return "";
  const known = JOB_STATUSES.filter((status) => statuses.includes(status));
  if (known.length === 0) return " AND 0";
  return ` AND (${known.map((status) => `status = '${status}'`).join(" OR ")})`;
}

/**
 * The partial index that holds exactly the jobs of one status. Walking it beats the planner's choice,
 * `jobs_history` (which orders for free), whose walk reads every row to check its status.
 */
const STATUS_INDEX: Partial<Record<JobStatus, string>> = {
  queued: "jobs_claim",
  processing: "jobs_lease",
  failed: "jobs_failed_history",
  cancelled: "jobs_cancelled_history",
};

/**
 * `FROM jobs … WHERE …` for a JobFilter (every job when it is empty). A filter on one status walks that
 * status's own index (STATUS_INDEX); the expired-lease scan walks `jobs_lease` in expiry order. A `page`
 * of queued jobs walks `jobs_history` instead: a backlog can be millions, and sorting them all for one
 * page costs more than finding them newest first, where new queued jobs sit.
 */
export function filterFrom(filter: JobFilter, page = false): SqlWithParams {
  const lists = inLists([
    ["type", filter.type],
    ["queue", filter.queue],
  ]);
  const where = `${statusTerm(filter.status)}${lists.sql}`;
  const lease = filter.leaseExpiresBefore;
  if (lease !== undefined)
    return {
      sql: `FROM jobs INDEXED BY jobs_lease WHERE status = 'processing' AND lease_expires_at <= ?${where}`,
      params: [lease, ...lists.params],
    };
  const only = filter.status?.length === 1 ? filter.status[0] : undefined;
  const index = page && only === "queued" ? "jobs_history" : only && STATUS_INDEX[only];
  return { sql: `FROM jobs${index ? ` INDEXED BY ${index}` : ""} WHERE 1${where}`, params: lists.params };
}

/**
 * Matching jobs, oldest first. Several statuses are selected one by one along their own indexes and
 * merged (UNION ALL): a walk of `jobs_history` would read every stored job.
 */
export function selectSql(filter: JobFilter): SqlWithParams {
  const statuses = filter.status === undefined ? [] : [...new Set(filter.status)];
  const parts =
    statuses.length > 1
      ? statuses.map((status) => filterFrom({ ...filter, status: [status] }))
      : [filterFrom(filter)];
  return {
    sql: `${parts.map((part) => `SELECT ${COLUMN_LIST} ${part.sql}`).join(" UNION ALL ")} ORDER BY created_at, id`,
    params: parts.flatMap((part) => part.params),
  };
}

/** How many jobs match: read from `job_counts` when only statuses and queues filter, else counted. */
export function countSql(filter: JobFilter): SqlWithParams {
  if (filter.type === undefined && filter.leaseExpiresBefore === undefined) {
    const lists = inLists([
      ["status", filter.status && [...new Set(filter.status)]],
      ["queue", filter.queue],
    ]);
    return { sql: `SELECT coalesce(sum(n), 0) FROM job_counts WHERE 1${lists.sql}`, params: lists.params };
  }
  const from = filterFrom(filter);
  return { sql: `SELECT count(*) ${from.sql}`, params: from.params };
}

/**
 * A history page, newest first. The page's rowids come from an index alone (the rows an offset skips
 * are never read from the table); only the page's own rows are then read.
 */
export function pageSql({ limit, offset, ...filter }: QueryParams): SqlWithParams {
  const from = filterFrom(filter, true);
  const order = "ORDER BY created_at DESC, id DESC";
  return {
    sql: `SELECT ${COLUMN_LIST} FROM jobs WHERE rowid IN (SELECT rowid ${from.sql} ${order} LIMIT ? OFFSET ?) ${order}`,
    params: [...from.params, limit, offset],
  };
}

/**
 * The rowids of due queued jobs in claim order, walked along `jobs_claim` (type and queue are checked in
 * the index). Reading the rows afterwards by rowid costs half of selecting them here (measured).
 */
export function claimSql(request: ClaimRequest): SqlWithParams {
  const lists = inLists([
    ["type", request.types],
    ["queue", request.queues],
  ]);
  return {
    sql: `SELECT rowid FROM jobs INDEXED BY jobs_claim WHERE status = 'queued' AND run_at <= ?${lists.sql}
      ORDER BY priority DESC, run_at, id LIMIT ?`,
    params: [request.now, ...lists.params, request.limit],
  };
}

/** The earliest `run_at` of the matching queued jobs, read from `jobs_next_run`. */
export function nextRunSql(filter: Pick<JobFilter, "type" | "queue">): SqlWithParams {
  const lists = inLists([
    ["type", filter.type],
    ["queue", filter.queue],
  ]);
  return {
    sql: `SELECT run_at FROM jobs INDEXED BY jobs_next_run WHERE status = 'queued'${lists.sql}
      ORDER BY run_at LIMIT 1`,
    params: lists.params,
  };
}

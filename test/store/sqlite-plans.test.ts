/**
 * The SQLite store's statements stay on their indexes (EXPLAIN QUERY PLAN), so claim, history, counts,
 * the lease scan and retention stay fast at a million jobs: no statement reads the whole table, and the
 * hot ones use the index their migration made for them. Checked on a fresh database (no planner
 * statistics) and after a close (which runs `PRAGMA optimize`, so statistics may exist).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import {
  COUNT_BY_STATUS_AND_QUEUE_SQL,
  claimSql,
  countSql,
  DELETE_FINISHED_SQL,
  FINISHED_COUNTS_SQL,
  nextRunSql,
  pageSql,
  SELECT_BY_ID_SQL,
  SELECT_BY_KEY_SQL,
  type SqlWithParams,
  selectSql,
} from "../../src/store/sqlite/job-sql.js";
import { DB_FILE } from "../../src/store/sqlite/open-database.js";
import { SqliteJobStore } from "../../src/store/sqlite/sqlite-job-store.js";
import { HOUR, makeJobs, T0 } from "../support/job-factory.js";
import { tempDir } from "../support/temp-dir.js";

const PAGE = { limit: 50, offset: 100 };
const STATUSES = ["queued", "processing", "completed", "failed", "cancelled"] as const;

/** Each statement and the index it must use. */
const EXPECTED: ReadonlyArray<[string, SqlWithParams, string]> = [
  [
    "claim",
    claimSql({ workerId: "w", now: T0, limit: 10, leaseMs: 1, types: ["a"], queues: ["q"] }),
    "jobs_claim",
  ],
  ["nextRunAt", nextRunSql({ type: ["a", "b"] }), "jobs_next_run"],
  ["get", { sql: SELECT_BY_ID_SQL, params: ["id"] }, "sqlite_autoindex_jobs_1"],
  ["idempotency key", { sql: SELECT_BY_KEY_SQL, params: ["k"] }, "jobs_idempotency_key"],
  ["history", pageSql(PAGE), "jobs_history"],
  ["history of failed jobs", pageSql({ ...PAGE, status: ["failed"] }), "jobs_failed_history"],
  ["history of cancelled jobs", pageSql({ ...PAGE, status: ["cancelled"] }), "jobs_cancelled_history"],
  ["history of queued jobs", pageSql({ ...PAGE, status: ["queued"] }), "jobs_history"],
  ["history of processing jobs", pageSql({ ...PAGE, status: ["processing"] }), "jobs_lease"],
  ["history of completed jobs", pageSql({ ...PAGE, status: ["completed"] }), "jobs_history"],
  ["history by type", pageSql({ ...PAGE, type: ["a"] }), "jobs_type_history"],
  ["history by queue", pageSql({ ...PAGE, queue: ["q"] }), "jobs_queue_history"],
  ["history total by status and queue", countSql({ status: ["failed"], queue: ["q"] }), "job_counts"],
  ["history total by type", countSql({ type: ["a"], status: ["completed"] }), "jobs_type_history"],
  [
    "history total of failed jobs by type",
    countSql({ type: ["a"], status: ["failed"] }),
    "jobs_failed_history",
  ],
  ["counts", { sql: COUNT_BY_STATUS_AND_QUEUE_SQL, params: [] }, "job_counts"],
  ["expired leases", selectSql({ leaseExpiresBefore: T0 }), "jobs_lease"],
  ["retention cleanup", { sql: DELETE_FINISHED_SQL, params: [T0] }, "jobs_finished"],
  ["retention cleanup's counts", { sql: FINISHED_COUNTS_SQL, params: [T0] }, "jobs_finished"],
  ["pending", selectSql({ status: ["queued", "processing"] }), "jobs_claim"],
];

function plan(db: Database.Database, { sql, params }: SqlWithParams): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((row) => row.detail);
}

/** Fills a store with a little of everything. */
function seed(store: SqliteJobStore): Promise<unknown> {
  return store.createMany(
    makeJobs(2000, (i) => ({
      status: STATUSES[i % STATUSES.length],
      type: `t${i % 7}`,
      queue: `q${i % 3}`,
      createdAt: T0 - i * HOUR,
    })),
  );
}

/** Checks every statement's plan against the database in `dir`, through a second connection. */
function expectPlans(dir: string): void {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  for (const [name, statement, index] of EXPECTED) {
    const detail = plan(db, statement);
    expect(detail.join(" | "), name).toContain(index);
    for (const line of detail) expect(line, name).not.toMatch(/^SCAN jobs$/);
  }
  db.close();
}

describe("SQLite query plans: every statement uses its index and none reads the whole table", () => {
  test("on a fresh database (no planner statistics)", async () => {
    const dir = tempDir("sqlite-plans");
    const store = SqliteJobStore.open({ dataDir: dir });
    await seed(store);
    expectPlans(dir);
    await store.close();
  });

  test("after a close has run PRAGMA optimize (planner statistics)", async () => {
    const dir = tempDir("sqlite-plans");
    const store = SqliteJobStore.open({ dataDir: dir });
    await seed(store);
    await store.query({ limit: 50, offset: 0, status: ["failed"] });
    await store.counts();
    await store.close();
    expectPlans(dir);
  });
});

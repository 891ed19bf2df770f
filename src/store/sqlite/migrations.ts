/**
 * The SQLite schema, as an ordered list of migrations. `PRAGMA user_version` records the last one
 * applied; `migrate` applies the rest. Never edit a released migration: append a new one.
 *
 * Why each index exists (every one is needed to stay fast at a million rows):
 * - `jobs_claim` (partial, queued only): claim walks it in claim order (priority desc, run_at, id) and
 *   checks `run_at`, `type` and `queue` from the index alone.
 * - `jobs_next_run` (partial, queued only): `nextRunAt` reads the earliest matching `run_at`.
 * - `jobs_lease` (partial, processing only): the reaper's expired-lease scan.
 * - `jobs_finished` (partial, finished only — migration 4): retention `cleanup`.
 * - `jobs_history`, `jobs_type_history`, `jobs_queue_history`: history pages (created_at desc, id desc)
 *   unfiltered or filtered by type or queue, and their totals; `jobs_failed_history` and
 *   `jobs_cancelled_history` (migration 5): history of those statuses.
 * - `jobs_idempotency_key`: a stored job's key is unique.
 *
 * Counts (migration 2): `job_counts` holds the number of jobs per status and queue, kept by triggers in
 * the same statement as each insert, delete and status change. `counts()` and the totals of history
 * filtered by status or queue read it instead of counting a million index entries (measured: a
 * GROUP BY over an index took ~85 ms at 1M jobs, and /api/stats asks often); a trigger costs each write
 * a few µs.
 *
 * Migration 3 drops those triggers: the store keeps `job_counts` itself (count-deltas.ts), one UPSERT
 * per touched (status, queue) just before each group's COMMIT, in the same transaction. The counts stay
 * exact; each write saves its trigger (measured: a batched create 49 → 17 µs per row with raw SQL).
 *
 * Migration 4 rebuilds `jobs_finished` with the predicate `finished_at IS NOT NULL` (set exactly when a
 * job is finished). SQLite evaluates a partial index's predicate for every write that touches its
 * columns, and `status IN ('completed', 'failed', 'cancelled')` cost each claim+complete ~4 µs of
 * ~16 µs of SQL (measured with raw SQL, 20k jobs); the IS NOT NULL test costs ~0.3 µs. Cleanup's
 * `finished_at < ?` implies it, so cleanup still walks the index, and still checks the status.
 *
 * Migration 5 drops `jobs_status_history`. A job's status changes twice in its life (claim, then its
 * end), and each change moved its entry between two distant parts of that index: with synchronous=FULL
 * the pages it dirtied were a third of a claim+complete (raw SQL, 10k jobs, 200 per commit: 30.6 →
 * 20.8 µs; 10.2 → 8.8 µs per insert). Jobs of one status are now read along an index that holds that
 * status alone: `jobs_claim` (queued), `jobs_lease` (processing), and two new partial indexes for the
 * rare ends, `jobs_failed_history` and `jobs_cancelled_history` (written once per failed or cancelled
 * job; they cost a claim+complete ~0.5 µs, in the noise). History pages of completed jobs, the bulk of
 * any history, and of queued jobs (new ones sit at its front) walk `jobs_history` (job-sql.ts).
 */

/** One schema step; `version` is what `user_version` becomes once `sql` has run. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "jobs table and its indexes",
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY NOT NULL,
        type TEXT NOT NULL,
        queue TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'cancelled')),
        priority INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        run_at INTEGER NOT NULL,
        timeout_ms INTEGER,
        idempotency_key TEXT,
        progress REAL,
        result TEXT NOT NULL,
        error TEXT,
        worker_id TEXT,
        lease_expires_at INTEGER,
        lease_ms INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX jobs_claim ON jobs (priority DESC, run_at, id, type, queue) WHERE status = 'queued';
      CREATE INDEX jobs_next_run ON jobs (run_at, type, queue) WHERE status = 'queued';
      CREATE INDEX jobs_lease ON jobs (lease_expires_at) WHERE status = 'processing';
      CREATE INDEX jobs_finished ON jobs (finished_at)
        WHERE status IN ('completed', 'failed', 'cancelled');
      CREATE INDEX jobs_history ON jobs (created_at DESC, id DESC);
      CREATE INDEX jobs_status_history ON jobs (status, created_at DESC, id DESC);
      CREATE INDEX jobs_type_history ON jobs (type, created_at DESC, id DESC);
      CREATE INDEX jobs_queue_history ON jobs (queue, created_at DESC, id DESC);
      CREATE INDEX jobs_status_queue ON jobs (status, queue);
    `,
  },
  {
    version: 2,
    description: "job_counts kept by triggers, replacing the counts index",
    sql: `
      CREATE TABLE job_counts (
        status TEXT NOT NULL,
        queue TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (status, queue)
      ) WITHOUT ROWID, STRICT;
      INSERT INTO job_counts (status, queue, n) SELECT status, queue, count(*) FROM jobs GROUP BY status, queue;
      CREATE TRIGGER jobs_counted_insert AFTER INSERT ON jobs BEGIN
        INSERT INTO job_counts (status, queue, n) VALUES (NEW.status, NEW.queue, 1)
          ON CONFLICT (status, queue) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER jobs_counted_delete AFTER DELETE ON jobs BEGIN
        UPDATE job_counts SET n = n - 1 WHERE status = OLD.status AND queue = OLD.queue;
      END;
      CREATE TRIGGER jobs_counted_update AFTER UPDATE OF status, queue ON jobs
        WHEN NEW.status IS NOT OLD.status OR NEW.queue IS NOT OLD.queue BEGIN
        UPDATE job_counts SET n = n - 1 WHERE status = OLD.status AND queue = OLD.queue;
        INSERT INTO job_counts (status, queue, n) VALUES (NEW.status, NEW.queue, 1)
          ON CONFLICT (status, queue) DO UPDATE SET n = n + 1;
      END;
      DROP INDEX jobs_status_queue;
    `,
  },
  {
    version: 3,
    description: "job_counts kept by the store at each commit, not by triggers",
    sql: `
      DROP TRIGGER jobs_counted_insert;
      DROP TRIGGER jobs_counted_delete;
      DROP TRIGGER jobs_counted_update;
    `,
  },
  {
    version: 4,
    description: "jobs_finished partial on finished_at IS NOT NULL, cheaper to keep than a status IN list",
    sql: `
      DROP INDEX jobs_finished;
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
    `,
  },
  {
    version: 5,
    description: "status history only for the rare statuses, as partial indexes",
    sql: `
      DROP INDEX jobs_status_history;
      CREATE INDEX jobs_failed_history ON jobs (created_at DESC, id DESC) WHERE status = 'failed';
      CREATE INDEX jobs_cancelled_history ON jobs (created_at DESC, id DESC) WHERE status = 'cancelled';
    `,
  },
  {
    version: 6,
    description: "history indexes in ascending order: new jobs append at their right edge",
    sql: `
      DROP INDEX jobs_history;
      DROP INDEX jobs_type_history;
      DROP INDEX jobs_queue_history;
      DROP INDEX jobs_failed_history;
      DROP INDEX jobs_cancelled_history;
      CREATE INDEX jobs_history ON jobs (created_at, id);
      CREATE INDEX jobs_type_history ON jobs (type, created_at, id);
      CREATE INDEX jobs_queue_history ON jobs (queue, created_at, id);
      CREATE INDEX jobs_failed_history ON jobs (created_at, id) WHERE status = 'failed';
      CREATE INDEX jobs_cancelled_history ON jobs (created_at, id) WHERE status = 'cancelled';
    `,
  },
];

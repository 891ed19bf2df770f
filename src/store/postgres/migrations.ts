/**
 * The PostgreSQL schema, as numbered migrations applied in order, each once.
 *
 * Timestamps are `bigint` epoch milliseconds, exactly as the domain keeps them, so a row maps to a Job
 * without conversions (and SQL compares them as numbers); `to_timestamp(run_at / 1000.0)` reads them
 * as times when inspecting by hand. Payloads and results are `json`, not `jsonb`: jobd never queries
 * inside them, and `json` keeps them exactly as sent (key order, `\u0000` in strings, which jsonb
 * refuses).
 *
 * Migrations run in one transaction holding a transaction-scoped advisory lock, so nodes starting
 * together apply them once: the others wait, then find nothing left to do.
 */
import type { Pool } from "pg";
import { JobdError } from "../../domain/errors.js";
import type { PgNames } from "./pg-names.js";
import { inTransaction } from "./transactions.js";

interface Migration {
  version: number;
  name: string;
  sql: (names: PgNames) => string;
}

/** Every migration, in order. Never edit one that has been released: append a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "jobs table",
    sql: ({ jobs, schema }) => `
      CREATE TABLE ${jobs} (
        id               text COLLATE "C" PRIMARY KEY,
        type             text NOT NULL,
        queue            text NOT NULL,
        payload          json NOT NULL,
        status           text NOT NULL
                         CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'cancelled')),
        priority         integer NOT NULL,
        attempts         integer NOT NULL,
        max_attempts     integer NOT NULL,
        run_at           bigint NOT NULL,
        timeout_ms       bigint,
        idempotency_key  text,
        progress         double precision,
        result           json NOT NULL,
        error            text,
        worker_id        text,
        lease_expires_at bigint,
        lease_ms         bigint,
        created_at       bigint NOT NULL,
        updated_at       bigint NOT NULL,
        started_at       bigint,
        finished_at      bigint
      );
      -- Claims: due queued jobs in claim order, of any type, or of one type (the dispatcher claims the
      -- types it has handlers for, one index range per type: jobs of other types are never scanned).
      CREATE INDEX jobs_claim_idx ON ${jobs} (priority DESC, run_at, id) WHERE status = 'queued';
      CREATE INDEX jobs_claim_type_idx ON ${jobs} (type, priority DESC, run_at, id) WHERE status = 'queued';
      -- nextRunAt: the earliest queued job, of any type or of one type.
      CREATE INDEX jobs_next_run_idx ON ${jobs} (run_at) WHERE status = 'queued';
      CREATE INDEX jobs_next_run_type_idx ON ${jobs} (type, run_at) WHERE status = 'queued';
      -- Only keyed jobs are indexed by key (ON CONFLICT names this predicate to use it).
      CREATE UNIQUE INDEX jobs_idempotency_key_idx ON ${jobs} (idempotency_key) WHERE idempotency_key IS NOT NULL;
      -- the reaper and recovery: expired leases.
      CREATE INDEX jobs_lease_idx ON ${jobs} (lease_expires_at) WHERE status = 'processing';
      -- history, newest first.
      CREATE INDEX jobs_history_idx ON ${jobs} (created_at DESC, id DESC);
      -- counts per queue and status, and status filters.
      CREATE INDEX jobs_queue_status_idx ON ${jobs} (queue, status);
      -- retention: finished jobs by age.
      CREATE INDEX jobs_finished_idx ON ${jobs} (finished_at)
        WHERE status IN ('completed', 'failed', 'cancelled');
      COMMENT ON SCHEMA ${schema} IS 'jobd: durable background jobs';`,
  },
];

/** The newest schema version this code knows. */
const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Brings the schema up to date; safe to call from several nodes at once. Returns the versions applied. */
export function migrate(pool: Pool, names: PgNames): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [names.migrationLockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${names.schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${names.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${names.migrations}`);
    const applied = new Set(rows.map((row) => row.version));
    assertNotNewer(applied, names);
    const pending = MIGRATIONS.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await client.query(migration.sql(names));
      await client.query(`INSERT INTO ${names.migrations} (version, name, applied_at) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        Date.now(),
      ]);
    }
    return pending.map((m) => m.version);
  });
}

/** An older jobd must not run against a schema a newer one migrated: it would misread the rows. */
function assertNotNewer(applied: Set<number>, names: PgNames): void {
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_VERSION)
    throw new JobdError(
      "unavailable",
      `PostgreSQL schema ${names.schema} is at version ${newest}, newer than this jobd knows (${LATEST_VERSION}); upgrade jobd`,
    );
}

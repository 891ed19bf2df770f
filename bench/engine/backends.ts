/**
 * A fresh store per benchmark run, for each backend the engine benchmark measures. PostgreSQL runs on a
 * schema of its own in `JOBD_BENCH_DATABASE_URL` (default postgres://$PGUSER@127.0.0.1:5432/test) and is
 * skipped, with the reason printed, when it is unreachable.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { resolvePersistenceConfig, type StorageBackend } from "../../src/config/persistence.js";
import { openStore } from "../../src/store/create-store.js";
import type { JobStore } from "../../src/store/job-store.js";
import { PostgresJobStore } from "../../src/store/postgres/postgres-job-store.js";

export const BENCH_BACKENDS: readonly StorageBackend[] = ["memory", "json", "sqlite", "postgres"];

const DATABASE_URL =
  process.env.JOBD_BENCH_DATABASE_URL ?? `postgres://${process.env.PGUSER ?? "postgres"}@127.0.0.1:5432/test`;

/** An open store and the function that closes it and removes what it wrote. */
export interface BenchStore {
  store: JobStore;
  dispose(): Promise<void>;
}

let runs = 0;

async function openPostgres(): Promise<BenchStore> {
  const schema = `jobd_bench_${process.pid}_${runs++}`;
  const store = await PostgresJobStore.open({ connectionString: DATABASE_URL, schema, poolSize: 10 });
  return {
    store,
    dispose: async () => {
      await store.close();
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/** Opens an empty store of `backend` (files in a fresh temp dir; the default `full` sync for SQLite). */
export async function openBenchStore(backend: StorageBackend): Promise<BenchStore> {
  if (backend === "postgres") return openPostgres();
  const dir = mkdtempSync(join(tmpdir(), `jobd-bench-${backend}-`));
  const config = resolvePersistenceConfig({ enabled: backend !== "memory", backend, storagePath: dir });
  const store = await openStore(config, { logger: { warn: () => {} } });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Null when the backend can be opened here; else why not. */
export async function unavailable(backend: StorageBackend): Promise<string | null> {
  try {
    await (await openBenchStore(backend)).dispose();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Opens the JobStore a PersistenceConfig asks for: memory when persistence is disabled (the spec's
 * default), else the named backend. Each backend's `open` does its own loading and locking. Backends
 * other than memory are imported when named: a process loads only its own store's modules and
 * driver (`pg` alone took ~50 ms of CPU at every start, for a backend most servers never use).
 */
import type { PersistenceConfig } from "../config/persistence.js";
import { JobdError } from "../domain/errors.js";
import type { JobStore } from "./job-store.js";
import { MemoryJobStore } from "./memory/memory-job-store.js";

/** How a store reports what it noticed while opening (e.g. a torn journal tail). */
export interface StoreLogger {
  warn(message: string): void;
}

export interface OpenStoreOptions {
  /** Defaults to `console`. */
  logger?: StoreLogger;
}

/** Opens (and, for files, loads and locks) the store `config` names. */
export async function openStore(
  config: PersistenceConfig,
  options: OpenStoreOptions = {},
): Promise<JobStore> {
  if (!config.enabled) return MemoryJobStore.open();
  switch (config.backend) {
    case "memory":
      return MemoryJobStore.open();
    case "json": {
      const { JsonJobStore } = await import("./json/json-job-store.js");
      return JsonJobStore.open({
        dataDir: config.storagePath,
        autoSaveInterval: config.autoSaveInterval,
        ...options,
      });
    }
    case "sqlite": {
      const { SqliteJobStore } = await import("./sqlite/sqlite-job-store.js");
      return SqliteJobStore.open({ dataDir: config.storagePath, sync: config.sqliteSync, ...options });
    }
    case "postgres": {
      const { PostgresJobStore } = await import("./postgres/postgres-job-store.js");
      return PostgresJobStore.open({ connectionString: config.databaseUrl });
    }
    default:
      throw new JobdError(
        "unavailable",
        `the ${config.backend} storage backend is not available in this build`,
      );
  }
}

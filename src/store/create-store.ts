/**
 * Opens the JobStore a PersistenceConfig asks for: memory when persistence is disabled (the spec's
 * default), else the named backend. Each backend's `open` does its own loading and locking.
 */
import type { PersistenceConfig } from "../config/persistence.js";
import { JobdError } from "../domain/errors.js";
import type { JobStore } from "./job-store.js";
import { JsonJobStore } from "./json/json-job-store.js";
import { MemoryJobStore } from "./memory/memory-job-store.js";
import { PostgresJobStore } from "./postgres/postgres-job-store.js";
import { SqliteJobStore } from "./sqlite/sqlite-job-store.js";

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
    case "json":
      return JsonJobStore.open({
        dataDir: config.storagePath,
        autoSaveInterval: config.autoSaveInterval,
        ...options,
      });
    case "sqlite":
      return SqliteJobStore.open({ dataDir: config.storagePath, sync: config.sqliteSync, ...options });
    case "postgres":
      return PostgresJobStore.open({ connectionString: config.databaseUrl });
    default:
      throw new JobdError(
        "unavailable",
        `the ${config.backend} storage backend is not available in this build`,
      );
  }
}

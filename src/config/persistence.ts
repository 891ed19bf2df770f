import { invalid } from "../domain/errors.js";

/** The seed spec's PersistenceConfig, with its defaults exactly. */
export const STORAGE_BACKENDS = ["memory", "json", "sqlite", "postgres"] as const;

/**
 * Where jobs are kept: `json` (the spec's default: snapshot + journal), `sqlite` (recommended embedded
 * store), `postgres` (several nodes share one database), `memory` (what `enabled: false` means).
 */
export type StorageBackend = (typeof STORAGE_BACKENDS)[number];

export type SqliteSync = "full" | "normal";

export interface PersistenceConfig {
  /** Off by default, as in the spec: jobs then live in memory only. */
  enabled: boolean;
  /** The data directory (JSON and SQLite files, the lock). */
  storagePath: string;
  backend: StorageBackend;
  /** Seconds between JSON snapshots (only when something changed); 0: only at shutdown. */
  autoSaveInterval: number;
  /** Finished jobs older than this many days are pruned; 0 prunes every finished job. */
  retentionDays: number;
  /** SQLite `synchronous`: `full` survives power loss, `normal` survives a killed process. */
  sqliteSync?: SqliteSync;
  /** PostgreSQL connection string, for `backend: "postgres"`. */
  databaseUrl?: string;
}

export const DEFAULT_PERSISTENCE_CONFIG: Readonly<PersistenceConfig> = Object.freeze({
  enabled: false,
  storagePath: "./data",
  backend: "json",
  autoSaveInterval: 30,
  retentionDays: 30,
});

/**
 * Fills in the spec's defaults, checks each field (a library caller's config is not typed at run time,
 * and a bad value must not surface later as another error), and freezes the result.
 */
export function resolvePersistenceConfig(
  config: Partial<PersistenceConfig> = {},
): Readonly<PersistenceConfig> {
  const resolved = { ...DEFAULT_PERSISTENCE_CONFIG, ...config };
  const { enabled, storagePath, backend, autoSaveInterval, retentionDays, sqliteSync } = resolved;
  if (typeof enabled !== "boolean") throw invalid(`"persistence.enabled" must be true or false`);
  if (!(STORAGE_BACKENDS as readonly unknown[]).includes(backend))
    throw invalid(
      `"persistence.backend" must be one of ${STORAGE_BACKENDS.join(", ")} (got ${String(backend)})`,
    );
  if (typeof storagePath !== "string" || storagePath === "")
    throw invalid(`"persistence.storagePath" must be a non-empty path`);
  if (typeof autoSaveInterval !== "number" || !(autoSaveInterval >= 0) || !Number.isFinite(autoSaveInterval))
    throw invalid(`"persistence.autoSaveInterval" must be a number of seconds ≥ 0 (got ${autoSaveInterval})`);
  if (typeof retentionDays !== "number" || !(retentionDays >= 0) || !Number.isFinite(retentionDays))
    throw invalid(`"persistence.retentionDays" must be a number ≥ 0 (got ${retentionDays})`);
  if (sqliteSync !== undefined && sqliteSync !== "full" && sqliteSync !== "normal")
    throw invalid(`"persistence.sqliteSync" must be "full" or "normal" (got ${String(sqliteSync)})`);
  return Object.freeze(resolved);
}

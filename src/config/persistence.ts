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
  /** Seconds between JSON snapshots (only when something changed). */
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

/** Fills in the spec's defaults and freezes the result. */
export function resolvePersistenceConfig(
  config: Partial<PersistenceConfig> = {},
): Readonly<PersistenceConfig> {
  return Object.freeze({ ...DEFAULT_PERSISTENCE_CONFIG, ...config });
}

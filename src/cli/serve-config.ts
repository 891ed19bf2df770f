/**
 * `jobd serve`'s configuration, resolved once: named defaults, then the environment, then the command
 * line (commander merges those three), then this file validates every value into one frozen
 * `ServeConfig` with messages that name the flag (or the env var the value came from), and names the
 * flags given that the chosen backend does not use (`warnings`, logged at startup).
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import {
  DEFAULT_PERSISTENCE_CONFIG,
  type PersistenceConfig,
  type SqliteSync,
  STORAGE_BACKENDS,
  type StorageBackend,
} from "../config/persistence.js";
import { integerValue } from "./integer-value.js";
import { UsageError } from "./usage-error.js";

/** Every default of `jobd serve`, named once; the help text shows these. */
export const SERVE_DEFAULTS = Object.freeze({
  port: 8080,
  host: "127.0.0.1",
  dataDir: DEFAULT_PERSISTENCE_CONFIG.storagePath,
  persistentBackend: DEFAULT_PERSISTENCE_CONFIG.backend,
  retentionDays: DEFAULT_PERSISTENCE_CONFIG.retentionDays,
  autoSaveInterval: DEFAULT_PERSISTENCE_CONFIG.autoSaveInterval,
  retryFailedOnStartup: 0,
  sqliteSync: "full" as SqliteSync,
  maxPayloadBytes: 1_048_576,
  concurrency: 10,
  shutdownTimeout: 30,
});

/** The resolved, validated configuration of one `jobd serve`. */
export interface ServeConfig {
  port: number;
  host: string;
  persistence: Readonly<PersistenceConfig>;
  /** 0 = off; else failed jobs with fewer attempts are queued again at startup. */
  retryFailedOnStartup: number;
  maxPayloadBytes: number;
  /** Absolute path of the task directory, if any. */
  tasksDir: string | undefined;
  concurrency: number;
  /** Seconds running handlers get to finish on SIGINT/SIGTERM. */
  shutdownTimeout: number;
  apiToken: string | undefined;
  /**
   * Flags (or env vars) given that this configuration does not use, one sentence each, for the startup
   * log: `--data-dir is ignored: jobs are kept in memory only; …`. The backend stays what DESIGN §6 says.
   */
  warnings: readonly string[];
}

/** Option values as commander hands them over: strings from the CLI/env, defaults as numbers. */
export type RawServeOptions = Partial<Record<string, string | number | boolean>>;

/** Names where a value came from, for messages: `--port` or `JOBD_PORT`. */
export type OriginOf = (attribute: string) => string;

/** Whether a value was given (on the command line or in the environment), not a default. */
export type GivenOf = (attribute: string) => boolean;

const flagOf: OriginOf = (attribute) => `--${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Validates and freezes; throws a `UsageError` naming the first bad flag. */
export function resolveServeConfig(
  raw: RawServeOptions,
  origin: OriginOf = flagOf,
  given: GivenOf = (attribute) => raw[attribute] !== undefined,
): Readonly<ServeConfig> {
  const int = (name: string, min: number, max: number, fallback: number) =>
    integerValue(raw[name] ?? fallback, origin(name), min, max);
  const persistence = resolvePersistence(raw, origin, int);
  const retryFailedOnStartup = int("retryFailedOnStartup", 0, 1000, SERVE_DEFAULTS.retryFailedOnStartup);
  const unused = (name: string) =>
    given(name) && (name !== "retryFailedOnStartup" || retryFailedOnStartup > 0);
  return Object.freeze({
    port: int("port", 0, 65_535, SERVE_DEFAULTS.port),
    host: nonEmpty(raw.host ?? SERVE_DEFAULTS.host, origin("host")),
    persistence,
    retryFailedOnStartup,
    maxPayloadBytes: int("maxPayloadBytes", 1, 64 * 1_048_576, SERVE_DEFAULTS.maxPayloadBytes),
    tasksDir: raw.tasks === undefined ? undefined : existingDir(raw.tasks, origin("tasks")),
    concurrency: int("concurrency", 1, 1000, SERVE_DEFAULTS.concurrency),
    shutdownTimeout: int("shutdownTimeout", 0, 86_400, SERVE_DEFAULTS.shutdownTimeout),
    apiToken: raw.apiToken === undefined ? undefined : nonEmpty(raw.apiToken, origin("apiToken")),
    warnings: Object.freeze(ignoredFlags(persistence.backend, unused, origin)),
  });
}

/**
 * The flags given that `backend` does not use, each with what it means and what to add. DESIGN §6 has
 * `--persist` / `--backend` decide the backend; a flag of another backend must not pass silently.
 * (`--database-url` with another backend named is refused earlier, in `resolvePersistence`.)
 */
function ignoredFlags(backend: StorageBackend, given: GivenOf, origin: OriginOf): string[] {
  const warnings: string[] = [];
  const ignored = (name: string, why: string) => {
    if (given(name)) warnings.push(`${origin(name)} is ignored: ${why}`);
  };
  if (backend === "memory") {
    const memory = "jobs are kept in memory only";
    ignored("dataDir", `${memory}; add --persist or --backend sqlite to keep them there`);
    ignored("sqliteSync", `${memory}; add --backend sqlite`);
    ignored("autoSaveInterval", `${memory}; add --persist (the json backend)`);
    ignored("databaseUrl", `${memory}; add --backend postgres`);
    ignored(
      "retryFailedOnStartup",
      `${memory}, so no failed job is left from before the start; add --persist or --backend sqlite`,
    );
    return warnings;
  }
  if (backend === "postgres")
    ignored("dataDir", "the postgres backend keeps jobs in the database of --database-url");
  if (backend !== "sqlite")
    ignored("sqliteSync", `it applies to the sqlite backend only (this server uses ${backend})`);
  if (backend !== "json")
    ignored("autoSaveInterval", `it applies to the json backend only (this server uses ${backend})`);
  if (backend !== "postgres")
    ignored("databaseUrl", `${origin("persist")} alone uses the json backend; add --backend postgres`);
  return warnings;
}

type IntReader = (name: string, min: number, max: number, fallback: number) => number;

/** `--persist` alone means json; a persistent `--backend` implies `--persist`; memory with it is an error. */
function resolvePersistence(
  raw: RawServeOptions,
  origin: OriginOf,
  int: IntReader,
): Readonly<PersistenceConfig> {
  const persist = raw.persist === undefined ? false : booleanFlag(raw.persist, origin("persist"));
  const named = raw.backend === undefined ? undefined : backendName(raw.backend, origin("backend"));
  if (persist && named === "memory")
    throw new UsageError(
      `${origin("persist")} keeps jobs on disk, but ${origin("backend")} memory keeps none; drop one of them`,
    );
  const backend: StorageBackend = named ?? (persist ? SERVE_DEFAULTS.persistentBackend : "memory");
  const databaseUrl =
    raw.databaseUrl === undefined ? undefined : postgresUrl(raw.databaseUrl, origin("databaseUrl"));
  if (databaseUrl !== undefined && named !== undefined && named !== "postgres")
    throw new UsageError(
      `${origin("databaseUrl")} is for the postgres backend, but ${origin("backend")} ${named} was asked for; drop one of them`,
    );
  if (backend === "postgres" && databaseUrl === undefined)
    throw new UsageError(
      `--backend postgres needs --database-url (or JOBD_DATABASE_URL), e.g. postgres://user@127.0.0.1:5432/jobd`,
    );
  return Object.freeze({
    enabled: backend !== "memory",
    storagePath: resolve(nonEmpty(raw.dataDir ?? SERVE_DEFAULTS.dataDir, origin("dataDir"))),
    backend,
    autoSaveInterval: int("autoSaveInterval", 1, 86_400, SERVE_DEFAULTS.autoSaveInterval),
    retentionDays: int("retentionDays", 0, 36_500, SERVE_DEFAULTS.retentionDays),
    sqliteSync: sqliteSync(raw.sqliteSync ?? SERVE_DEFAULTS.sqliteSync, origin("sqliteSync")),
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
  });
}

function nonEmpty(value: string | number | boolean, label: string): string {
  const text = String(value);
  if (text.trim() === "") throw new UsageError(`${label} must not be empty`);
  return text;
}

/**
 * A `postgres://` or `postgresql://` URL, checked here: anything else would only fail later, as a DNS or
 * connect error. The message does not repeat the value, which may hold a password.
 */
function postgresUrl(value: string | number | boolean, label: string): string {
  const text = nonEmpty(value, label);
  if (!URL.canParse(text))
    throw new UsageError(`${label} is not a URL; use postgres://user@host:5432/database`);
  const { protocol } = new URL(text);
  if (protocol !== "postgres:" && protocol !== "postgresql:")
    throw new UsageError(`${label} must be a postgres:// or postgresql:// URL (got ${protocol}//…)`);
  return text;
}

/** `--persist` on the command line is `true`; from the environment it is 1/true/yes or 0/false/no. */
function booleanFlag(value: string | number | boolean, label: string): boolean {
  if (typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off", ""].includes(text)) return false;
  throw new UsageError(`${label} must be 1 or 0 (got "${String(value)}")`);
}

function backendName(value: string | number | boolean, label: string): StorageBackend {
  const name = String(value) as StorageBackend;
  if (!STORAGE_BACKENDS.includes(name))
    throw new UsageError(`${label} must be one of ${STORAGE_BACKENDS.join(", ")} (got "${String(value)}")`);
  return name;
}

function sqliteSync(value: string | number | boolean, label: string): SqliteSync {
  if (value === "full" || value === "normal") return value;
  throw new UsageError(`${label} must be full or normal (got "${String(value)}")`);
}

function existingDir(value: string | number | boolean, label: string): string {
  const path = resolve(nonEmpty(value, label));
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new UsageError(`${label} ${path} is not a directory`);
  return path;
}

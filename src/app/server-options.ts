/**
 * The options of `createServer` (DESIGN.md §7), their named defaults, and the one function that resolves
 * them into a frozen configuration the rest of the server reads.
 */
import type { Logger, LoggerOptions } from "pino";
import { type PersistenceConfig, resolvePersistenceConfig } from "../config/persistence.js";
import { type Clock, systemClock } from "../domain/clock.js";
import { invalid } from "../domain/errors.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../domain/new-job.js";
import type { HandlerMap } from "../queue/handlers.js";
import { DEFAULT_CONCURRENCY } from "../queue/in-process-runner.js";

export const DEFAULT_SHUTDOWN_TIMEOUT_S = 30;

/** Where the HTTP server listens. */
export interface ListenOptions {
  port: number;
  host?: string;
}

export interface ServerOptions {
  /** The spec's PersistenceConfig; `enabled: false` (the default) keeps jobs in memory only. */
  persistence?: Partial<PersistenceConfig>;
  /** In-process handlers by job type. */
  handlers?: HandlerMap;
  /** Loads `DIR/<type>.js|.mjs` as handlers too (`--tasks DIR`). */
  tasksDir?: string;
  /** In-process runs at a time (default 10). */
  concurrency?: number;
  /** Optional per-queue limits on in-process runs, within `concurrency`. */
  queueConcurrency?: Record<string, number>;
  /** Seconds running handlers get to finish on `close()` (default 30). */
  shutdownTimeout?: number;
  /** `--retry-failed-on-startup N`: failed jobs with attempts < N are queued again at startup. */
  retryFailedOnStartup?: number;
  /** Largest serialized payload in bytes (default 1 MiB). */
  maxPayloadBytes?: number;
  /** When set, every `/api/*` request needs `Authorization: Bearer <apiToken>`. */
  apiToken?: string;
  /** pino options, a pino logger, or false for silence (default: info to stdout). */
  logger?: LoggerOptions | Logger | false;
  /** Where time comes from (tests pin it). */
  clock?: Clock;
  /** Listen at once, before recovery, so `/readyz` answers 503 until recovery is done (the CLI's way). */
  listen?: ListenOptions;
}

/** `createServer`'s options with every default filled in. */
export interface ResolvedServerOptions {
  persistence: Readonly<PersistenceConfig>;
  handlers: HandlerMap;
  tasksDir: string | undefined;
  concurrency: number;
  queueConcurrency: Readonly<Record<string, number>>;
  shutdownTimeoutMs: number;
  retryFailedOnStartup: number;
  maxPayloadBytes: number;
  apiToken: string | undefined;
  clock: Clock;
  listen: ListenOptions | undefined;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw invalid(`"${name}" must be a positive integer (got ${value})`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw invalid(`"${name}" must be a number ≥ 0 (got ${value})`);
  return value;
}

/** Fills in the defaults, checks the numbers, and freezes. `enabled: false` means the memory backend. */
export function resolveServerOptions(options: ServerOptions): Readonly<ResolvedServerOptions> {
  const persistence = resolvePersistenceConfig(options.persistence);
  const queueConcurrency = { ...options.queueConcurrency };
  for (const [queue, limit] of Object.entries(queueConcurrency))
    positiveInteger(limit, `queueConcurrency.${queue}`);
  return Object.freeze({
    persistence: persistence.enabled
      ? persistence
      : Object.freeze({ ...persistence, backend: "memory" as const }),
    handlers: { ...options.handlers },
    tasksDir: options.tasksDir,
    concurrency: positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, "concurrency"),
    queueConcurrency,
    shutdownTimeoutMs:
      nonNegative(options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT_S, "shutdownTimeout") * 1000,
    retryFailedOnStartup: nonNegative(options.retryFailedOnStartup ?? 0, "retryFailedOnStartup"),
    maxPayloadBytes: positiveInteger(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, "maxPayloadBytes"),
    apiToken: options.apiToken,
    clock: options.clock ?? systemClock,
    listen: options.listen,
  });
}

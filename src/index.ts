/**
 * jobd's public library API (DESIGN.md §7): `createServer` to embed the server, `JobdClient` to talk to
 * a running one, the job's types, the PersistenceConfig, the stores, the RecoveryManager and JobdError.
 */

export { createServer } from "./app/create-server.js";
export { JobdServer } from "./app/jobd-server.js";
export type { HistoryPage, HistoryQuery, JobJsonListener } from "./app/library-api.js";
export type { ListenOptions, ServerOptions } from "./app/server-options.js";
export * from "./client/index.js";
export {
  DEFAULT_PERSISTENCE_CONFIG,
  type PersistenceConfig,
  resolvePersistenceConfig,
  type SqliteSync,
  STORAGE_BACKENDS,
  type StorageBackend,
} from "./config/persistence.js";
export type { Clock } from "./domain/clock.js";
export { ERROR_CODES, type ErrorCode, isJobdError, JobdError } from "./domain/errors.js";
export {
  JOB_STATUSES,
  type Job,
  type JobJson,
  type JobStatus,
  type JsonValue,
  toJobJson,
} from "./domain/job.js";
export type { HandlerContext, HandlerMap, JobHandler } from "./queue/handlers.js";
export { JobQueue } from "./queue/job-queue.js";
export { JOB_EVENTS, type JobEventName, type RecoveryResult, type Stats } from "./queue/job-queue-api.js";
export { RecoveryManager, type RecoveryOptions } from "./recovery/recovery-manager.js";
export type { CreateJobBody } from "./schemas/job.js";
export { openStore } from "./store/create-store.js";
export type { Durability, JobStore, StoreCapabilities } from "./store/job-store.js";
export { JsonJobStore } from "./store/json/json-job-store.js";
export { MemoryJobStore } from "./store/memory/memory-job-store.js";
export { PostgresJobStore } from "./store/postgres/postgres-job-store.js";
export { SqliteJobStore } from "./store/sqlite/sqlite-job-store.js";

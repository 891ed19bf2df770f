/**
 * The REST API's response shapes as the dashboard reads them (DESIGN.md §5). The job itself is the
 * server's own `JobJson`, imported as a type only, so the two cannot drift.
 */
import type { JobJson, JobStatus } from "../domain/job.js";
import type { RecoveryResult } from "../queue/job-queue-api.js";

export type { JobJson, JobStatus, RecoveryResult };

/** The five states in the order the dashboard shows them. */
export const STATUSES: readonly JobStatus[] = ["queued", "processing", "completed", "failed", "cancelled"];

export type StatusCounts = Record<JobStatus, number>;

/** `GET /api/stats`. */
export interface StatsResponse {
  counts: StatusCounts;
  queues: Record<string, StatusCounts>;
  recovery: RecoveryResult;
  backend: "memory" | "json" | "sqlite" | "postgres";
  durability: "none" | "process-crash" | "power-loss";
  uptime_s: number;
}

/** `GET /api/jobs/history`. */
export interface HistoryResponse {
  jobs: JobJson[];
  total: number;
  limit: number;
  offset: number;
}

/** The events `GET /api/events` streams; each carries the job as it is after the change. */
export type JobEventName =
  | "created"
  | "started"
  | "progress"
  | "completed"
  | "retrying"
  | "failed"
  | "cancelled"
  | "deleted";

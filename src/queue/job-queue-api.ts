/**
 * What the engine offers the HTTP API, the library and the CLI: every operation of DESIGN.md §5 on
 * internal `Job`s (the edges convert with `toJobJson`). Implemented by `JobQueue`.
 */

import type { StorageBackend } from "../config/persistence.js";
import type { Job, JsonValue } from "../domain/job.js";
import type { LeaseRef } from "../domain/transitions.js";
import type { CreateJobBody } from "../schemas/job.js";
import type { CreateResult, Durability, JobCounts, QueryParams, QueryResult } from "../store/job-store.js";

export const JOB_EVENTS = [
  "created",
  "started",
  "progress",
  "completed",
  "retrying",
  "failed",
  "cancelled",
  "deleted",
] as const;
/** One event per state change (and per progress report), as `/api/events` streams them. */
export type JobEventName = (typeof JOB_EVENTS)[number];

/** DESIGN.md §4: the spec's three counts plus `retried` and `pruned`. */
export interface RecoveryResult {
  recovered: number;
  requeued: number;
  failed: number;
  retried: number;
  pruned: number;
}

export interface LeaseRequest {
  workerId: string;
  types?: string[];
  queues?: string[];
  /** 1…100, default 1. */
  maxJobs: number;
  /** 1,000…3,600,000, default 30,000. */
  leaseMs: number;
  /** Long poll: 0…30,000; returns as soon as a matching job is due. */
  waitMs: number;
}

export interface Stats extends JobCounts {
  recovery: RecoveryResult;
  backend: StorageBackend;
  durability: Durability;
  uptimeS: number;
}

export interface JobQueueApi {
  enqueue(body: CreateJobBody): Promise<CreateResult>;
  /** All or none; the same idempotency key twice in `bodies` is `invalid_request`. */
  enqueueMany(bodies: CreateJobBody[]): Promise<CreateResult[]>;
  /** Throws `not_found`. */
  get(id: string): Promise<Job>;
  history(params: QueryParams): Promise<QueryResult>;
  /** failed | cancelled → queued; else `conflict`. */
  retry(id: string): Promise<Job>;
  retryFailed(filter: { type?: string; queue?: string }): Promise<number>;
  cancel(id: string): Promise<Job>;
  /** A processing job → `conflict`. */
  delete(id: string): Promise<void>;
  /** Resolves early with [] when `signal` aborts (the HTTP client went away). */
  lease(request: LeaseRequest, signal?: AbortSignal): Promise<Job[]>;
  heartbeat(id: string, lease: LeaseRef & { progress?: number; leaseMs?: number }): Promise<Job>;
  complete(id: string, lease: LeaseRef & { result?: JsonValue }): Promise<Job>;
  fail(id: string, lease: LeaseRef & { error: string; retryable?: boolean }): Promise<Job>;
  stats(): Promise<Stats>;
  /** Running totals of the background maintenance since start, for `/metrics`. */
  maintenanceTotals(): { reapedLeases: number; pruned: number };
  on(event: JobEventName, listener: (job: Job) => void): this;
  off(event: JobEventName, listener: (job: Job) => void): this;
}

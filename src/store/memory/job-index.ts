/**
 * The in-memory job index shared by MemoryJobStore and JsonJobStore: jobs by id, idempotency keys,
 * jobs by status, per-queue counts and the claim order, all kept in step by `put` and `remove`.
 *
 * Stored jobs are private copies, replaced (never mutated) on every change. `payload` and `result` are
 * JSON values the stored versions of a job share, so what leaves the store is `detached`: a handler
 * that pushes to its payload, or a caller that edits a job it was given, cannot reach a stored job —
 * as on SQLite and PostgreSQL, whose reads parse fresh values.
 */
import { conflict } from "../../domain/errors.js";
import { JOB_STATUSES, type Job, type JobStatus } from "../../domain/job.js";
import { copyJson } from "../../domain/json-value.js";
import { emptyStatusCounts, type JobCounts, type JobFilter, type StatusCounts } from "../job-store.js";
import { ClaimOrder } from "./claim-order.js";

/** True if `job` passes every part of `filter`. */
export function matchesFilter(job: Job, filter: JobFilter): boolean {
  if (filter.status && !filter.status.includes(job.status)) return false;
  if (filter.type && !filter.type.includes(job.type)) return false;
  if (filter.queue && !filter.queue.includes(job.queue)) return false;
  if (filter.leaseExpiresBefore !== undefined)
    return (
      job.status === "processing" &&
      job.leaseExpiresAt !== null &&
      job.leaseExpiresAt <= filter.leaseExpiresBefore
    );
  return true;
}

/** A copy of a stored job to hand out, with payload and result of its own. */
export const detached = (job: Job): Job => ({
  ...job,
  payload: copyJson(job.payload),
  result: copyJson(job.result),
});

/** Newest first: `createdAt` desc, then `id` desc. */
export const newestFirst = (a: Job, b: Job) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Every job of a store, indexed for claims, filters and counts. */
export class JobIndex {
  private readonly jobs = new Map<string, Job>();
  private readonly idByKey = new Map<string, string>();
  private readonly idsByStatus = new Map<JobStatus, Set<string>>(JOB_STATUSES.map((s) => [s, new Set()]));
  private readonly queueCounts = new Map<string, StatusCounts>();
  /** Ids newest first, rebuilt lazily after an insert or delete (updates keep the order). */
  private newestFirstIds: string[] | null = null;
  readonly claimOrder = new ClaimOrder((job) => job.status === "queued" && this.jobs.get(job.id) === job);

  get size(): number {
    return this.jobs.size;
  }

  /** The stored version (do not mutate; copy before handing out). */
  peek(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** The stored job holding idempotency `key`. */
  byKey(key: string): Job | undefined {
    const id = this.idByKey.get(key);
    return id === undefined ? undefined : this.jobs.get(id);
  }

  /** Inserts or replaces a job; throws `conflict` if its idempotency key belongs to another job. */
  put(next: Job): Job {
    const job = { ...next };
    const holder = job.idempotencyKey === null ? undefined : this.idByKey.get(job.idempotencyKey);
    if (holder !== undefined && holder !== job.id)
      throw conflict(`idempotency key "${job.idempotencyKey}" already belongs to job ${holder}`);
    const previous = this.jobs.get(job.id);
    this.jobs.set(job.id, job);
    if (previous) this.forget(previous);
    if (!previous || previous.createdAt !== job.createdAt) this.newestFirstIds = null;
    this.remember(job);
    return job;
  }

  /** Deletes a job; returns the removed version. */
  remove(id: string): Job | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    this.jobs.delete(id);
    this.forget(job);
    this.newestFirstIds = null;
    return job;
  }

  /** Every job in insertion order. */
  all(): IterableIterator<Job> {
    return this.jobs.values();
  }

  /** Jobs matching `filter`, visiting only the statuses it names. */
  *matching(filter: JobFilter): Iterable<Job> {
    const statuses = filter.leaseExpiresBefore !== undefined ? ["processing" as const] : filter.status;
    if (!statuses) {
      for (const job of this.jobs.values()) if (matchesFilter(job, filter)) yield job;
      return;
    }
    for (const status of new Set(statuses))
      for (const id of this.idsByStatus.get(status) ?? []) {
        const job = this.jobs.get(id) as Job;
        if (matchesFilter(job, filter)) yield job;
      }
  }

  /** Every job newest first (the order is cached between inserts and deletes). */
  *newestFirst(): Iterable<Job> {
    this.newestFirstIds ??= [...this.jobs.values()].sort(newestFirst).map((job) => job.id);
    for (const id of this.newestFirstIds) yield this.jobs.get(id) as Job;
  }

  /** How many jobs have `status`. */
  countOf(status: JobStatus): number {
    return this.idsByStatus.get(status)?.size ?? 0;
  }

  counts(): JobCounts {
    const counts = emptyStatusCounts();
    for (const status of JOB_STATUSES) counts[status] = this.countOf(status);
    const queues: Record<string, StatusCounts> = {};
    for (const [queue, perQueue] of this.queueCounts) queues[queue] = { ...perQueue };
    return { counts, queues };
  }

  private remember(job: Job): void {
    if (job.idempotencyKey !== null) this.idByKey.set(job.idempotencyKey, job.id);
    this.idsByStatus.get(job.status)?.add(job.id);
    const perQueue = this.queueCounts.get(job.queue) ?? emptyStatusCounts();
    this.queueCounts.set(job.queue, perQueue);
    perQueue[job.status]++;
    if (job.status === "queued") this.claimOrder.add(job);
  }

  /** Undoes `remember` for a version that is no longer stored (call after the map changed). */
  private forget(job: Job): void {
    if (job.idempotencyKey !== null && this.idByKey.get(job.idempotencyKey) === job.id)
      this.idByKey.delete(job.idempotencyKey);
    this.idsByStatus.get(job.status)?.delete(job.id);
    const perQueue = this.queueCounts.get(job.queue);
    if (perQueue) {
      perQueue[job.status]--;
      if (JOB_STATUSES.every((s) => perQueue[s] === 0)) this.queueCounts.delete(job.queue);
    }
    if (job.status === "queued") this.claimOrder.remove(job);
  }
}

/**
 * Jobs the dispatcher claimed ahead of its free slots (prefetch), in claim order, and how many to claim:
 * as deep as the handlers' recent pace allows (prefetch-pace.ts).
 *
 * A buffered job is `processing`, leased to this server like a running one (the lease keeper renews it),
 * but its handler has not started: a graceful shutdown releases it uncounted, and so does the
 * dispatcher when it has waited MAX_BUFFER_WAIT_MS (handlers that slowed down after it was claimed).
 */
import type { Job } from "../domain/job.js";
import { PrefetchPace } from "./prefetch-pace.js";

/**
 * A claimed job still waiting this long after its claim is given back (the handlers slowed down since
 * it was claimed): its wait counts toward its `timeout_ms` and keeps it from other workers.
 */
export const MAX_BUFFER_WAIT_MS = 100;

/** Claimed jobs waiting for a slot, and the prefetch depth the handlers' pace allows. */
export class ClaimBuffer {
  private readonly jobs = new Map<string, Job>();
  private readonly pace: PrefetchPace;

  /** `now`: a monotonic clock in ms (tests pass their own). */
  constructor(now?: () => number) {
    this.pace = new PrefetchPace(now);
  }

  /** Jobs waiting for a slot. */
  get size(): number {
    return this.jobs.size;
  }

  /** How many jobs to hold beyond the free slots (prefetch-pace.ts). */
  get target(): number {
    return this.pace.target;
  }

  /** How many jobs to claim now, with `free` slots that the buffer could not fill (prefetch-pace.ts). */
  claimSize(free: number): number {
    return this.pace.claimSize(free, this.jobs.size);
  }

  add(job: Job): void {
    this.jobs.set(job.id, job);
  }

  /** The oldest claimed job, removed, counted as a start; undefined when empty. */
  take(): Job | undefined {
    const next = this.jobs.values().next();
    if (next.done) return undefined;
    this.jobs.delete(next.value.id);
    this.pace.started();
    return next.value;
  }

  /** Removes job `id` (cancelled or taken away before it started); true if it was here. */
  drop(id: string): boolean {
    return this.jobs.delete(id);
  }

  /** The job claimed first among those waiting. */
  oldest(): Job | undefined {
    return this.jobs.values().next().value;
  }

  /** Removes and returns the jobs claimed (`startedAt`) at or before `time`, oldest first. */
  takeClaimedBefore(time: number): Job[] {
    const stale: Job[] = [];
    for (const job of this.jobs.values()) {
      if ((job.startedAt ?? 0) > time) break;
      stale.push(job);
    }
    for (const job of stale) this.jobs.delete(job.id);
    return stale;
  }

  /** Every buffered job, removed (shutdown). */
  takeAll(): Job[] {
    const all = [...this.jobs.values()];
    this.jobs.clear();
    return all;
  }

  /** The buffered jobs, for lease renewal. */
  values(): Iterable<Job> {
    return this.jobs.values();
  }
}

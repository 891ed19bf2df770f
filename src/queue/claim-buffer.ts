/**
 * Jobs the dispatcher claimed ahead of its free slots (prefetch), in claim order, and how many to hold.
 *
 * On a store whose every write is an fsync, the claim is the step that makes the handlers wait: with
 * one claim per freed slot, a commit carries at most `concurrency` jobs. Claiming a little ahead lets
 * one commit feed many runs. The buffer is sized by what the handlers actually consume: at most the
 * number of runs they started in about the last PREFETCH_HORIZON_MS (capped at MAX_PREFETCH). Fast
 * handlers get a deep buffer; handlers that take longer than the horizon get none (one claim per slot,
 * as without prefetch), so a buffered job waits about PREFETCH_HORIZON_MS, not behind slow runs.
 *
 * A buffered job is `processing`, leased to this server like a running one (the lease keeper renews it),
 * but its handler has not started: a graceful shutdown releases it uncounted, and so does the
 * dispatcher when it has waited MAX_BUFFER_WAIT_MS (handlers that slowed down after it was claimed).
 */
import type { Job } from "../domain/job.js";

/** A buffered job should start within about this long, at the handlers' recent pace. */
export const PREFETCH_HORIZON_MS = 10;
/** The most jobs claimed ahead of the free slots, whatever the pace. */
export const MAX_PREFETCH = 500;
/**
 * A claimed job still waiting this long after its claim is given back (the handlers slowed down since
 * it was claimed): its wait counts toward its `timeout_ms` and keeps it from other workers.
 */
export const MAX_BUFFER_WAIT_MS = 100;

/** Claimed jobs waiting for a slot, and the prefetch depth the handlers' pace allows. */
export class ClaimBuffer {
  private readonly jobs = new Map<string, Job>();
  private windowStartedAt = 0;
  private startsInWindow = 0;
  private startsInLastWindow = 0;

  /** `now`: a monotonic clock in ms (tests pass their own). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Jobs waiting for a slot. */
  get size(): number {
    return this.jobs.size;
  }

  /** How many jobs to hold beyond the free slots: the runs started in about the last horizon, capped. */
  get target(): number {
    this.rollWindow(this.now());
    return Math.min(MAX_PREFETCH, Math.max(this.startsInLastWindow, this.startsInWindow));
  }

  /**
   * How many jobs to claim now, with `free` slots that the buffer could not fill: enough for those slots
   * and the prefetch target — but nothing while no slot waits and the buffer is still over half full, so
   * claims come in batches (fewer, larger commits) instead of one small top-up per freed slot.
   */
  claimSize(free: number): number {
    const target = this.target;
    if (free <= 0 && this.jobs.size > target / 2) return 0;
    return Math.max(0, free + target - this.jobs.size);
  }

  add(job: Job): void {
    this.jobs.set(job.id, job);
  }

  /** The oldest claimed job, removed, counted as a start; undefined when empty. */
  take(): Job | undefined {
    const next = this.jobs.values().next();
    if (next.done) return undefined;
    this.jobs.delete(next.value.id);
    this.rollWindow(this.now());
    this.startsInWindow++;
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

  /** Tumbling windows of the horizon; a window that ended long ago says nothing about the pace now. */
  private rollWindow(now: number): void {
    const age = now - this.windowStartedAt;
    if (age < PREFETCH_HORIZON_MS) return;
    this.startsInLastWindow = age < 2 * PREFETCH_HORIZON_MS ? this.startsInWindow : 0;
    this.startsInWindow = 0;
    this.windowStartedAt = now;
  }
}

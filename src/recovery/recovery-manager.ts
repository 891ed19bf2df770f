/**
 * The RecoveryManager (DESIGN.md §4): what happens to each state when a server starts, and the
 * maintenance that keeps running while it serves.
 *
 * - `recoverOnStartup()` runs before anything is dispatched: it counts the queued jobs it finds
 *   (`recovered`), reclaims stale `processing` jobs (`requeueProcessing`: `requeued` or `failed`),
 *   optionally retries failed jobs (`retryFailed`: `retried`), and prunes old finished jobs (`pruned`).
 * - While serving, the reaper reclaims expired leases every second (so within 2 s of expiry), and the
 *   retention cleanup runs every hour.
 *
 * The tradeoff of leases, honestly: a worker that is alive but silent for longer than its lease (a
 * stalled process, a network partition) loses the job to the reaper, and the job may then run twice.
 * That is the price of never losing a job whose worker died: execution is at-least-once.
 */
import type { Logger } from "pino";
import pino from "pino";
import { type Clock, systemClock } from "../domain/clock.js";
import type { Job } from "../domain/job.js";
import { expireLease, requeueInterrupted, retryFailedOnStartup } from "../domain/transitions.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { RecoveryResult } from "../queue/job-queue-api.js";
import type { JobStore } from "../store/job-store.js";

const DAY_MS = 86_400_000;
/** The reaper's period: an expired lease is reclaimed within this (plus one store call) of expiry. */
export const REAP_INTERVAL_MS = 1_000;
/** Retention cleanup runs this often while serving. */
export const CLEANUP_INTERVAL_MS = 3_600_000;

export interface RecoveryOptions {
  /** Finished jobs older than this many days are pruned; 0 prunes every finished job. */
  retentionDays: number;
  /** `--retry-failed-on-startup N`; absent or 0: off. */
  retryFailedOnStartup?: number;
  clock?: Clock;
  log?: Logger;
}

/** Counts of one reclaim of stale `processing` jobs. */
interface Reclaimed {
  requeued: number;
  failed: number;
}

/** Recovers a store at startup and keeps leases and retention in order while the server runs. */
export class RecoveryManager {
  private readonly clock: Clock;
  private readonly log: Logger;
  private reaper: NodeJS.Timeout | undefined;
  private cleaner: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly queue: JobQueue,
    private readonly options: RecoveryOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? pino({ enabled: false });
  }

  /** Startup recovery, in this order; the result also goes to the queue for `/api/stats`. */
  async recoverOnStartup(): Promise<RecoveryResult> {
    const recovered = (await this.store.counts()).counts.queued;
    const { requeued, failed } = await this.reclaimProcessing();
    const maxRetries = this.options.retryFailedOnStartup ?? 0;
    const retried = maxRetries > 0 ? await this.retryFailed(maxRetries) : 0;
    const pruned = await this.cleanup();
    const result = { recovered, requeued, failed, retried, pruned };
    this.queue.recovery = result;
    return result;
  }

  /**
   * Reclaims stale `processing` jobs: interrupted in-process runs of a previous server (single-node
   * stores) go back to queued at once; expired leases are the ordinary lease-expiry failure. Returns how
   * many were queued again (those out of attempts become `failed`; `recoverOnStartup` counts both).
   */
  async requeueProcessing(): Promise<number> {
    return (await this.reclaimProcessing()).requeued;
  }

  /** Queues again failed jobs with `attempts < maxRetries`, raising `max_attempts` to it; returns how many. */
  async retryFailed(maxRetries: number): Promise<number> {
    const now = this.clock.now();
    const jobs = await this.store.updateMany({ status: ["failed"] }, (job) =>
      retryFailedOnStartup(job, maxRetries, now),
    );
    this.queue.publishChanges(jobs);
    return jobs.length;
  }

  /** Deletes finished jobs older than `retentionDays`; returns how many. */
  async cleanup(): Promise<number> {
    const now = this.clock.now();
    const days = this.options.retentionDays;
    return this.store.cleanup(days === 0 ? now + 1 : now - days * DAY_MS);
  }

  /** One reaper pass: every lease that has expired becomes a counted failure. Returns how many. */
  async reapExpiredLeases(): Promise<number> {
    const now = this.clock.now();
    const jobs = await this.store.updateMany({ status: ["processing"], leaseExpiresBefore: now }, (job) =>
      expireLease(job, { now }),
    );
    this.queue.publishChanges(jobs);
    this.queue.recordMaintenance({ reapedLeases: jobs.length });
    return jobs.length;
  }

  /** Starts the reaper and the hourly cleanup. Idempotent. */
  start(): void {
    if (this.reaper) return;
    this.reaper = setInterval(
      () => this.runExclusive("reaping expired leases", () => this.reapExpiredLeases()),
      REAP_INTERVAL_MS,
    );
    this.cleaner = setInterval(
      () => this.runExclusive("retention cleanup", () => this.hourlyCleanup()),
      CLEANUP_INTERVAL_MS,
    );
    this.reaper.unref();
    this.cleaner.unref();
  }

  /** Stops the background work and waits for a pass in progress. Safe to call twice or before start. */
  async stop(): Promise<void> {
    clearInterval(this.reaper);
    clearInterval(this.cleaner);
    await this.pass;
  }

  private async hourlyCleanup(): Promise<void> {
    const pruned = await this.cleanup();
    this.queue.recordMaintenance({ pruned });
    if (pruned > 0) this.log.info({ pruned }, "pruned finished jobs past retention");
  }

  /** Runs one background pass unless the previous one is still going; logs instead of throwing. */
  private runExclusive(what: string, pass: () => Promise<unknown>): void {
    if (this.pass) return;
    this.pass = pass()
      .then(
        () => {},
        (error) => this.log.error({ err: error }, `${what} failed`),
      )
      .finally(() => {
        this.pass = undefined;
      });
  }

  private async reclaimProcessing(): Promise<Reclaimed> {
    const now = this.clock.now();
    const reclaimed: Job[] = [];
    if (this.store.capabilities.singleNode) {
      const ownWorker = this.queue.workerId;
      const interrupted = (job: Job) =>
        job.workerId?.startsWith("local:") === true && job.workerId !== ownWorker;
      reclaimed.push(
        ...(await this.store.updateMany({ status: ["processing"] }, (job) =>
          interrupted(job) ? requeueInterrupted(job, now) : null,
        )),
      );
    }
    reclaimed.push(
      ...(await this.store.updateMany({ status: ["processing"], leaseExpiresBefore: now }, (job) =>
        expireLease(job, { now }),
      )),
    );
    this.queue.publishChanges(reclaimed);
    return {
      requeued: reclaimed.filter((job) => job.status === "queued").length,
      failed: reclaimed.filter((job) => job.status === "failed").length,
    };
  }
}

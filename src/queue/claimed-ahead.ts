/**
 * The jobs the dispatcher claimed ahead of its free slots (held and sized by claim-buffer.ts), and giving
 * them back uncounted (`releaseOnShutdown`: queued, attempt restored): all of them at shutdown, and any
 * that waited MAX_BUFFER_WAIT_MS since its claim — the handlers slowed down after it was claimed — with
 * ONE timer for the oldest.
 */
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.js";
import type { Job } from "../domain/job.js";
import { releaseOnShutdown } from "../domain/transitions.js";
import type { JobStore } from "../store/job-store.js";
import { ClaimBuffer, MAX_BUFFER_WAIT_MS } from "./claim-buffer.js";
import { DueTimer } from "./due-timer.js";
import { isLostLease } from "./executor.js";
import type { JobPublisher } from "./job-events.js";

export interface ClaimedAheadOptions {
  store: JobStore;
  clock: Clock;
  publisher: JobPublisher;
  log: Logger;
}

/** Claimed jobs waiting for a slot, and their return when they cannot have one. */
export class ClaimedAhead {
  private readonly buffer = new ClaimBuffer();
  private readonly staleTimer: DueTimer;
  /** Jobs being given back. */
  private releasing: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: ClaimedAheadOptions) {
    this.staleTimer = new DueTimer(options.clock, () => this.releaseStale());
  }

  /** How many to claim now with `free` slots the buffer could not fill (ClaimBuffer.claimSize). */
  claimSize(free: number): number {
    return this.buffer.claimSize(free);
  }

  /** Holds freshly claimed jobs, oldest claim first. */
  add(jobs: readonly Job[]): void {
    for (const job of jobs) this.buffer.add(job);
    this.armStaleTimer();
  }

  /** The next job for a free slot, or undefined. */
  take(): Job | undefined {
    return this.buffer.take();
  }

  /** Forgets a job taken away before it started (cancelled, expired); true if it was here. */
  drop(id: string): boolean {
    return this.buffer.drop(id);
  }

  /** The jobs waiting (their leases are renewed like running ones). */
  values(): Iterable<Job> {
    return this.buffer.values();
  }

  /** Gives every waiting job back; resolves once those writes (and earlier ones) are done. */
  async releaseAll(): Promise<void> {
    this.closed = true;
    this.staleTimer.clear();
    await Promise.all([this.releasing, ...this.buffer.takeAll().map((job) => this.release(job))]);
  }

  private releaseStale(): void {
    const stale = this.buffer.takeClaimedBefore(this.options.clock.now() - MAX_BUFFER_WAIT_MS);
    this.releasing = Promise.all([this.releasing, ...stale.map((job) => this.release(job))]);
    this.armStaleTimer();
  }

  private armStaleTimer(): void {
    const oldest = this.buffer.oldest();
    if (oldest && !this.closed)
      this.staleTimer.armAt((oldest.startedAt ?? this.options.clock.now()) + MAX_BUFFER_WAIT_MS);
  }

  /** Puts a job back, uncounted; a job already taken away (cancelled, expired) is left alone. */
  private async release(job: Job): Promise<void> {
    const { store, clock, publisher, log } = this.options;
    const lease = { workerId: job.workerId ?? "", attempt: job.attempts };
    try {
      publisher.changed(await store.update(job.id, (j) => releaseOnShutdown(j, lease, clock.now())));
    } catch (error) {
      if (!isLostLease(error)) log.warn({ err: error, jobId: job.id }, "could not give back a claimed job");
    }
  }
}

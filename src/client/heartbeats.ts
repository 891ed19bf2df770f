/**
 * One heartbeat timer for every job a remote worker holds, instead of one interval per job: each tick
 * (a third of the lease) renews the leases not renewed for half a tick, so a job that has just been
 * leased is not beaten at once, and no lease goes longer than half its length without a renewal.
 * The timer runs only while some job is held.
 */

/** A held job as the ticker sees it. */
export interface Beating {
  /** When its lease was last obtained or a renewal last tried (epoch ms). */
  readonly lastBeatAt: number;
  /** Renews its lease; never throws. */
  heartbeat(): Promise<void>;
}

/** The shared heartbeat timer of one worker. */
export class Heartbeats {
  private readonly held = new Set<Beating>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly periodMs: number) {}

  /** Starts renewing `job`'s lease. */
  add(job: Beating): void {
    this.held.add(job);
    this.timer ??= setInterval(() => this.tick(), this.periodMs);
  }

  /** Stops renewing `job`'s lease; the last one out stops the timer. */
  delete(job: Beating): void {
    this.held.delete(job);
    if (this.held.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const due = Date.now() - this.periodMs / 2;
    for (const job of this.held) if (job.lastBeatAt <= due) void job.heartbeat();
  }
}

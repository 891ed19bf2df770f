/**
 * How far ahead of its free slots a worker claims (prefetch), from the pace its handlers start jobs.
 *
 * On a store whose every write is an fsync, and for a remote worker whose every lease is a round trip,
 * the claim is the step that makes the handlers wait: with one claim per freed slot, a commit or a
 * lease carries at most `concurrency` jobs. Claiming a little ahead lets one claim feed many runs. The
 * depth follows what the handlers actually consume: the runs they started in about the last
 * PREFETCH_HORIZON_MS (capped at MAX_PREFETCH). Fast handlers get a deep buffer; handlers that take
 * longer than the horizon get none (one claim per slot, as without prefetch), so a claimed-ahead job
 * waits about PREFETCH_HORIZON_MS, not behind slow runs. The in-process dispatcher (claim-buffer.ts)
 * and the remote worker of the client (src/client/worker.ts) share it.
 */

/** A job claimed ahead should start within about this long, at the handlers' recent pace. */
export const PREFETCH_HORIZON_MS = 10;
/** The most jobs claimed ahead of the free slots, whatever the pace. */
export const MAX_PREFETCH = 500;

/** Counts run starts in tumbling windows of the horizon and turns them into a prefetch depth. */
export class PrefetchPace {
  private windowStartedAt = 0;
  private startsInWindow = 0;
  private startsInLastWindow = 0;

  /** `now`: a monotonic clock in ms (tests pass their own). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A run started. */
  started(): void {
    this.rollWindow(this.now());
    this.startsInWindow++;
  }

  /** How many jobs to hold beyond the free slots: the runs started in about the last horizon, capped. */
  get target(): number {
    this.rollWindow(this.now());
    return Math.min(MAX_PREFETCH, Math.max(this.startsInLastWindow, this.startsInWindow));
  }

  /**
   * How many jobs to claim now, with `free` slots that no claimed-ahead job will fill and `ahead` jobs
   * claimed ahead: enough for those slots and the target — but nothing while no slot waits and the jobs
   * ahead are still over half the target, so claims come in batches (fewer, larger commits or leases)
   * instead of one small top-up per freed slot.
   */
  claimSize(free: number, ahead: number): number {
    const target = this.target;
    if (free <= 0 && ahead > target / 2) return 0;
    return Math.max(0, free + target - ahead);
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

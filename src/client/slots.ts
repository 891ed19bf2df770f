/**
 * The slots of one remote worker. A leased job takes a slot; its handler gives it back when it returns,
 * before its outcome is acknowledged, so the next lease can travel with the `complete` calls. Outcomes
 * still on their way are bounded too (at most `size` beyond the running handlers): a server slow to
 * acknowledge them slows the leasing instead of piling up jobs the worker holds.
 */
export class Slots {
  private running = 0;
  private unreported = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly size: number) {}

  /** How many jobs the next lease may ask for. */
  get free(): number {
    return Math.max(0, Math.min(this.size - this.running, 2 * this.size - this.unreported));
  }

  /** A leased job starts. */
  take(): void {
    this.running++;
    this.unreported++;
  }

  /** Its handler returned or threw. */
  handlerDone(): void {
    this.running--;
    this.freed();
  }

  /** Its outcome was reported (or given up). */
  reported(): void {
    this.unreported--;
    this.freed();
  }

  /**
   * Resolves once a slot is free (at once if one is). After a wait it resolves a turn later, so the
   * slots of every handler that ended in the same turn go into one lease request.
   */
  whenFree(): Promise<void> {
    if (this.free > 0) return Promise.resolve();
    return new Promise((resolve) => (this.wake = () => setImmediate(resolve)));
  }

  private freed(): void {
    if (this.free === 0) return;
    this.wake?.();
    this.wake = undefined;
  }
}

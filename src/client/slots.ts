/**
 * The slots of one remote worker. A leased job waits for a slot (`acquire`, in lease order), then its
 * handler runs; the handler gives the slot back when it returns, before its outcome is acknowledged, so
 * the next lease can travel with the `complete` calls. Outcomes still on their way are bounded too (at
 * most `size` beyond the running handlers): a server slow to acknowledge them slows the leasing
 * instead of piling up jobs the worker holds.
 */
export class Slots {
  private running = 0;
  private unreported = 0;
  /** Leased jobs waiting for a slot (claimed ahead), oldest first. */
  private readonly queue: (() => void)[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly size: number) {}

  /** Slots that neither run a handler nor are promised to a waiting job: what a lease may fill at once. */
  get free(): number {
    return Math.max(
      0,
      Math.min(this.size - this.running - this.queue.length, 2 * this.size - this.unreported),
    );
  }

  /** Leased jobs waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** True while as many outcomes are on their way as the worker may hold: lease nothing more. */
  get backlogged(): boolean {
    return this.unreported >= 2 * this.size;
  }

  /** A leased job: resolves when its handler may start (at once if a slot is free). */
  acquire(): Promise<void> {
    if (this.running < this.size) {
      this.start();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Its handler returned or threw: the slot goes to the oldest waiting job, if any. */
  handlerDone(): void {
    this.running--;
    const next = this.queue.shift();
    if (next) {
      this.start();
      next();
    }
    this.changed();
  }

  /** Its outcome was reported (or given up). */
  reported(): void {
    this.unreported--;
    this.changed();
  }

  /**
   * Resolves a turn after the next handler end or report, so the slots of every handler that ended in
   * the same turn go into one lease request.
   */
  nextChange(): Promise<void> {
    return new Promise((resolve) => (this.wake = () => setImmediate(resolve)));
  }

  private start(): void {
    this.running++;
    this.unreported++;
  }

  private changed(): void {
    this.wake?.();
    this.wake = undefined;
  }
}

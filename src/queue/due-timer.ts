/**
 * One timer for the earliest of several wake-up times. The dispatcher and each long-polling lease keep
 * one of these instead of a timer per delayed job: arming it for a later time than it already holds is
 * a no-op, arming it earlier moves it.
 */
import type { Clock } from "../domain/clock.js";

/** Node timers cannot wait longer than ~24.8 days; beyond an hour the owner simply looks again. */
const MAX_DELAY_MS = 3_600_000;

/** A single, re-armable, unref'd timer that calls `onDue` at the earliest time it was armed for. */
export class DueTimer {
  private timer: NodeJS.Timeout | undefined;
  private at = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: () => void,
  ) {}

  /** Makes sure `onDue` runs no later than `time` (epoch ms, on the injected clock). */
  armAt(time: number): void {
    if (time >= this.at) return;
    this.clear();
    this.at = time;
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, time - this.clock.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.at = Number.POSITIVE_INFINITY;
      this.onDue();
    }, delay);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}

import { JobdError } from "../domain/errors.js";

/**
 * Whether `/readyz` and `/api/*` may answer (DESIGN.md §5): not before recovery is done, and not once
 * the server has begun to close (so load balancers drain it). Either way the answer is 503
 * `unavailable` in the API's error shape.
 */
export class Availability {
  private closing = false;

  constructor(private readonly isReady: () => boolean) {}

  /** Called from the server's `preClose` hook. */
  markClosing(): void {
    this.closing = true;
  }

  /** Throws `unavailable` with the reason, or returns. */
  assertAvailable(): void {
    if (this.closing) throw new JobdError("unavailable", "jobd is shutting down");
    if (!this.isReady()) throw new JobdError("unavailable", "jobd is starting up (recovery is not done yet)");
  }
}

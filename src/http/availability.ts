import { JobdError } from "../domain/errors.js";

/**
 * Whether `/readyz` and `/api/*` may answer (DESIGN.md §5): not before recovery is done, and not once
 * the HTTP server closes. In between, while a graceful shutdown waits for running handlers (draining),
 * `/readyz` already answers 503 — load balancers stop sending work — but the API still answers, so
 * remote workers can report the jobs they hold and heartbeat them. Refusals are 503 `unavailable` in
 * the API's error shape.
 */
export class Availability {
  private closing = false;

  constructor(
    private readonly isReady: () => boolean,
    private readonly isDraining: () => boolean = () => false,
  ) {}

  /** Called from the server's `preClose` hook. */
  markClosing(): void {
    this.closing = true;
  }

  /** For `/readyz`: throws `unavailable` from the moment a shutdown begins, or returns. */
  assertReady(): void {
    this.assertAvailable();
    if (this.isDraining()) throw new JobdError("unavailable", "jobd is shutting down");
  }

  /** For `/api/*`: throws `unavailable` with the reason, or returns. */
  assertAvailable(): void {
    if (this.closing) throw new JobdError("unavailable", "jobd is shutting down");
    if (!this.isReady()) throw new JobdError("unavailable", "jobd is starting up (recovery is not done yet)");
  }
}

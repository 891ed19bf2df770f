/**
 * One in-process run of a job: its lease, its AbortSignal, and how it settles when aborted. The signal
 * is made on first use — most handlers never look at it, and an AbortController is one of the costlier
 * objects on the hot path — and an abort before that is still seen: the signal is then born aborted.
 */
import type { Job } from "../domain/job.js";
import type { LeaseRef } from "../domain/transitions.js";
import { type AbortKind, abortOutcome, type Outcome, RunAborted } from "./outcome.js";

/** A job being run by this server's handlers. */
export class Run {
  readonly lease: LeaseRef;
  /** Set by the executor while the handler runs: settles the run as aborted. */
  settleAborted: (outcome: Outcome) => void = () => {};
  private controller: AbortController | undefined;
  private reason: RunAborted | undefined;

  constructor(readonly job: Job) {
    this.lease = { workerId: job.workerId ?? "", attempt: job.attempts };
  }

  /** The handler's AbortSignal: fires on cancel, timeout, lease loss or shutdown. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Fires the signal and settles the run as `kind`; the first abort wins, later ones are ignored. */
  abort(kind: AbortKind): void {
    if (this.reason) return;
    this.reason = new RunAborted(kind);
    this.controller?.abort(this.reason);
    this.settleAborted(abortOutcome(this.reason));
  }
}

/**
 * One in-process run of a job: its lease, its AbortSignal, and its outcome, decided once. The signal is
 * made on first use — most handlers never look at it, and an AbortController is one of the costlier
 * objects on the hot path — and an abort before that is still seen: the signal is then born aborted.
 */
import type { Job } from "../domain/job.js";
import type { LeaseRef } from "../domain/transitions.js";
import { type AbortKind, type Outcome, RunAborted } from "./outcome.js";

/** Told once when a run's outcome is decided (the executor). */
export interface RunOwner {
  settled(run: Run): void;
}

/** A job being run by this server's handlers. */
export class Run {
  readonly lease: LeaseRef;
  /** What became of the run: the first of the handler settling and an abort; undefined until then. */
  outcome: Outcome | undefined = undefined;
  /** The `timeout_ms` timer, when the job has one. */
  timer: NodeJS.Timeout | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  private reason: RunAborted | undefined = undefined;

  /** `onSettled` is the dispatcher's: the run's slot is free once the outcome is known. */
  constructor(
    readonly job: Job,
    private readonly owner: RunOwner,
    readonly onSettled: () => void,
  ) {
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

  /** Records the outcome; only the first counts, and whatever the handler does afterwards is ignored. */
  settle(outcome: Outcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.owner.settled(this);
  }

  /** Fires the signal and settles the run as `kind` (unless it already settled). */
  abort(kind: AbortKind): void {
    if (this.outcome !== undefined) return;
    this.reason = new RunAborted(kind);
    this.controller?.abort(this.reason);
    this.settle({ kind });
  }
}

/**
 * What became of one in-process run, decided once, and the single store transition each outcome maps
 * to (DESIGN.md §2). Cancelled and lease-lost runs write nothing: whoever took the job away already did.
 */
import type { Job, JsonValue } from "../domain/job.js";
import { toJsonResult } from "../domain/json-value.js";
import { complete, fail, type LeaseRef, releaseOnShutdown, timeOut } from "../domain/transitions.js";
import type { Transition } from "../store/job-store.js";

/** Why a run's AbortSignal fired. */
export type AbortKind = "timeout" | "cancelled" | "lease-lost" | "shutdown";

export type Outcome =
  | { kind: "success"; result: JsonValue }
  | { kind: "failure"; error: string; retryable: boolean }
  | { kind: AbortKind };

const ABORT_MESSAGES: Record<AbortKind, string> = {
  timeout: "the job ran longer than its timeout_ms",
  cancelled: "the job was cancelled",
  "lease-lost": "the job's lease was lost (it expired or the job was taken away)",
  shutdown: "the server is shutting down and the shutdown timeout ran out",
};

/** The reason a run's AbortSignal carries, so a handler can tell why it was stopped. */
export class RunAborted extends Error {
  override readonly name = "RunAborted";

  constructor(readonly kind: AbortKind) {
    super(ABORT_MESSAGES[kind]);
  }
}

/** Longer error messages are cut: the error is for people, and a job row should stay small. */
const MAX_ERROR_CHARS = 4_000;

/** A thrown value as a failure; `retryable: false` on the error fails the job without more attempts. */
export function failureOutcome(thrown: unknown): Outcome {
  const message = thrown instanceof Error ? thrown.message || thrown.name : String(thrown);
  const retryable = (thrown as { retryable?: unknown } | null)?.retryable !== false;
  return { kind: "failure", error: message.slice(0, MAX_ERROR_CHARS), retryable };
}

/** A returned value as a success, or, when it is not JSON, a failure no retry can fix. */
export function successOutcome(value: unknown): Outcome {
  try {
    return { kind: "success", result: toJsonResult(value) };
  } catch (error) {
    return { kind: "failure", error: (error as Error).message, retryable: false };
  }
}

/** The one lease-guarded transition that records `outcome`, or null when there is nothing to write. */
export function transitionFor(outcome: Outcome, lease: LeaseRef, now: () => number): Transition | null {
  switch (outcome.kind) {
    case "success":
      return (job: Job) => complete(job, lease, { now: now(), result: outcome.result });
    case "failure":
      return (job: Job) =>
        fail(job, lease, { now: now(), error: outcome.error, retryable: outcome.retryable });
    case "timeout":
      return (job: Job) => timeOut(job, lease, { now: now() });
    case "shutdown":
      return (job: Job) => releaseOnShutdown(job, lease, now());
    case "cancelled":
    case "lease-lost":
      return null;
  }
}

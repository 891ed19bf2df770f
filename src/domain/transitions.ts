/**
 * Every state change of a job, as pure constructors: given the job and what happened, each returns the
 * next job or throws `conflict`. Stores only apply them (atomically), so the rules — attempts, backoff,
 * fencing — exist once for every backend.
 */
import { conflict, invalid } from "./errors.js";
import type { Job, JsonValue } from "./job.js";
import { backoffMs } from "./retry-policy.js";

export const ERROR_LEASE_EXPIRED = "lease expired";
export const ERROR_TIMED_OUT = "timed out";
export const ERROR_INTERRUPTED = "interrupted: server stopped";

/** Who claims to hold a job's lease: the worker and the attempt it was granted. */
export interface LeaseRef {
  workerId: string;
  attempt: number;
}

export interface ClaimParams {
  workerId: string;
  leaseMs: number;
  now: number;
}

/** The latest a lease may reach: `started_at + timeout_ms` when the job has a timeout. */
function leaseCap(job: Job, startedAt: number): number {
  return job.timeoutMs === null ? Number.POSITIVE_INFINITY : startedAt + job.timeoutMs;
}

/** queued → processing: one more attempt, leased to `workerId`. */
export function claim(job: Job, { workerId, leaseMs, now }: ClaimParams): Job {
  if (job.status !== "queued") throw conflict(`job ${job.id} is ${job.status}, not queued`);
  return {
    ...job,
    status: "processing",
    attempts: job.attempts + 1,
    workerId,
    leaseMs,
    leaseExpiresAt: Math.min(now + leaseMs, leaseCap(job, now)),
    progress: null, // a new run reports its own; an earlier attempt's would read as this one's
    startedAt: now,
    finishedAt: null,
    updatedAt: now,
  };
}

/** Throws `conflict` unless `lease` still holds the job's current, unexpired lease. */
export function assertLeaseHeld(job: Job, lease: LeaseRef, now: number): void {
  if (job.status !== "processing") throw conflict(`job ${job.id} is ${job.status}, no longer processing`);
  if (job.workerId !== lease.workerId || job.attempts !== lease.attempt)
    throw conflict(
      `job ${job.id} is leased to ${job.workerId} for attempt ${job.attempts}, not to ${lease.workerId} for attempt ${lease.attempt}`,
    );
  if (job.leaseExpiresAt !== null && job.leaseExpiresAt <= now)
    throw conflict(`the lease of job ${job.id} expired at ${new Date(job.leaseExpiresAt).toISOString()}`);
}

export function heartbeat(
  job: Job,
  lease: LeaseRef,
  { now, leaseMs, progress }: { now: number; leaseMs?: number; progress?: number },
): Job {
  assertLeaseHeld(job, lease, now);
  const extendBy = leaseMs ?? job.leaseMs ?? 30_000;
  return {
    ...job,
    leaseExpiresAt: Math.min(now + extendBy, leaseCap(job, job.startedAt ?? now)),
    progress: progress ?? job.progress,
    updatedAt: now,
  };
}

export function complete(
  job: Job,
  lease: LeaseRef,
  { now, result }: { now: number; result: JsonValue },
): Job {
  assertLeaseHeld(job, lease, now);
  return { ...release(job, now), status: "completed", result, finishedAt: now };
}

export interface FailParams {
  now: number;
  error: string;
  retryable?: boolean;
  random?: () => number;
}

/** A counted failure: queued again with backoff while attempts remain, else `failed`. */
export function failAttempt(job: Job, { now, error, retryable = true, random }: FailParams): Job {
  if (job.status !== "processing") throw conflict(`job ${job.id} is ${job.status}, not processing`);
  if (retryable && job.attempts < job.maxAttempts)
    return { ...release(job, now), status: "queued", error, runAt: now + backoffMs(job.attempts, random) };
  return { ...release(job, now), status: "failed", error, finishedAt: now };
}

/** A worker's reported failure, fenced by its lease. */
export function fail(job: Job, lease: LeaseRef, params: FailParams): Job {
  assertLeaseHeld(job, lease, params.now);
  return failAttempt(job, params);
}

/** The reaper's verdict on a lease that ran out: "timed out" when it ended at the job's timeout. */
export function expireLease(job: Job, { now, random }: { now: number; random?: () => number }): Job {
  const timedOut =
    job.timeoutMs !== null && job.startedAt !== null && job.leaseExpiresAt === job.startedAt + job.timeoutMs;
  return failAttempt(job, { now, random, error: timedOut ? ERROR_TIMED_OUT : ERROR_LEASE_EXPIRED });
}

/**
 * The lease holder's own timer ran out (`timeout_ms`): a counted failure "timed out". Fenced by worker and
 * attempt only, because the lease ends at `started_at + timeout_ms`, the very moment the timer fires.
 */
export function timeOut(
  job: Job,
  lease: LeaseRef,
  { now, random }: { now: number; random?: () => number },
): Job {
  assertLeaseHeld(job, lease, Math.min(now, (job.leaseExpiresAt ?? now) - 1));
  return failAttempt(job, { now, random, error: ERROR_TIMED_OUT });
}

/**
 * Recovery of a run the previous server's own handlers were doing when it died. The run counted, so a
 * job that kills the server spends its attempts and ends `failed` instead of looping forever.
 */
export function requeueInterrupted(job: Job, now: number): Job {
  if (job.status !== "processing") throw conflict(`job ${job.id} is ${job.status}, not processing`);
  if (job.attempts < job.maxAttempts)
    return { ...release(job, now), status: "queued", runAt: now, error: ERROR_INTERRUPTED };
  return {
    ...release(job, now),
    status: "failed",
    error: `${ERROR_INTERRUPTED} during its last attempt (${job.attempts} of ${job.maxAttempts})`,
    finishedAt: now,
  };
}

/** A run cut short by a graceful shutdown does not count: back to queued with the attempt restored. */
export function releaseOnShutdown(job: Job, lease: LeaseRef, now: number): Job {
  assertLeaseHeld(job, lease, now);
  return { ...release(job, now), status: "queued", attempts: Math.max(0, job.attempts - 1) };
}

/** A job may be deleted unless a worker is running it. */
export function assertDeletable(job: Job): void {
  if (job.status === "processing")
    throw conflict(`job ${job.id} is processing; cancel it first, or wait until it finishes`);
}

export function cancel(job: Job, now: number): Job {
  if (job.status !== "queued" && job.status !== "processing")
    throw conflict(`job ${job.id} is ${job.status}; only queued or processing jobs can be cancelled`);
  return { ...release(job, now), status: "cancelled", finishedAt: now };
}

/** failed | cancelled → queued, as if new: attempts 0, due now; the last error stays until the next outcome. */
export function manualRetry(job: Job, now: number): Job {
  if (job.status !== "failed" && job.status !== "cancelled")
    throw conflict(`job ${job.id} is ${job.status}; only failed or cancelled jobs can be retried`);
  return {
    ...release(job, now),
    status: "queued",
    attempts: 0,
    runAt: now,
    result: null,
    progress: null,
    startedAt: null,
    finishedAt: null,
  };
}

/**
 * `--retry-failed-on-startup N`: a failed job with attempts < N is queued again with `max_attempts`
 * raised to N. Attempts keep counting, so repeated restarts cannot loop forever. Returns null to skip.
 */
export function retryFailedOnStartup(job: Job, maxRetries: number, now: number): Job | null {
  if (job.status !== "failed" || job.attempts >= maxRetries) return null;
  return {
    ...release(job, now),
    status: "queued",
    maxAttempts: Math.max(job.maxAttempts, maxRetries),
    runAt: now,
    finishedAt: null,
  };
}

/**
 * A progress value as a handler gives it: a finite number from 0 to 100, returned as is; anything else
 * throws `invalid_request` at once, so the handler that passed it can catch it.
 */
export function checkProgress(percent: unknown): number {
  if (typeof percent === "number" && Number.isFinite(percent) && percent >= 0 && percent <= 100)
    return percent;
  throw invalid(`progress must be a number from 0 to 100 (got ${String(percent)})`);
}

/** An in-process handler's progress report. */
export function reportProgress(job: Job, lease: LeaseRef, progress: number, now: number): Job {
  assertLeaseHeld(job, lease, now);
  return { ...job, progress, updatedAt: now };
}

/** Fields every transition out of `processing` resets. */
function release(job: Job, now: number): Job {
  return { ...job, workerId: null, leaseExpiresAt: null, leaseMs: null, updatedAt: now };
}

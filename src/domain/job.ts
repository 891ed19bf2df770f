/**
 * The job, jobd's one entity.
 *
 * Glossary
 * - job: a unit of work of a `type`, with a JSON `payload`, waiting in a `queue`.
 * - handler: the function that runs jobs of one type, in-process (library `handlers`, `--tasks DIR`).
 * - worker: whoever runs a job: `local:<instance id>` for in-process handlers, or a remote worker's id.
 * - lease: the right of one worker to run one attempt of a job until `leaseExpiresAt`. Every
 *   finishing write names the worker and attempt; a write from a lease that moved on is refused.
 * - attempt: one run that started and counts; `attempts` is how many have.
 * - due: queued with `runAt <= now`.
 *
 * States (DESIGN.md §2; docs/state-machine.md draws them):
 * - queued: waiting until due; entered on create, on a failure with attempts left (with backoff), on
 *   recovery of an interrupted run, on a manual retry, and when a graceful shutdown cuts a run short.
 * - processing: leased to one worker; entered only by a claim. Left by complete, fail, cancel, lease
 *   expiry (the reaper) or recovery.
 * - completed: the handler returned; final.
 * - failed: out of attempts or a non-retryable failure; left only by a manual retry or
 *   `--retry-failed-on-startup`.
 * - cancelled: by a user while queued or processing; left only by a manual retry.
 *
 * Inside jobd timestamps are epoch milliseconds; the wire format (snake_case, RFC 3339) is made at the
 * edges by `toJobJson`.
 */

export const JOB_STATUSES = ["queued", "processing", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves by itself; retention prunes only these. */
export const FINISHED_STATUSES: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface Job {
  id: string;
  type: string;
  queue: string;
  payload: JsonValue;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  timeoutMs: number | null;
  idempotencyKey: string | null;
  progress: number | null;
  result: JsonValue;
  error: string | null;
  workerId: string | null;
  leaseExpiresAt: number | null;
  /** The length the current lease was granted with; a heartbeat without `lease_ms` extends by it. Internal. */
  leaseMs: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The job as the REST API, the library and the events show it. */
export interface JobJson {
  id: string;
  type: string;
  queue: string;
  payload: JsonValue;
  status: JobStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  timeout_ms: number | null;
  idempotency_key: string | null;
  progress: number | null;
  result: JsonValue;
  error: string | null;
  worker_id: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

// Conversions are cached by instant, direct-mapped on the low bits (toISOString costs ~0.5 µs): a
// job's run_at, created_at and updated_at, and the jobs of one batch or one completion group, share a
// handful of instants (measured: 7% of the CPU of a batch create went to toISOString). A single last
// value missed three times per finished job, whose timestamps alternate between three instants.
const ISO_SLOTS = 64;
const isoMs = new Float64Array(ISO_SLOTS).fill(Number.NaN);
const isoText: string[] = new Array(ISO_SLOTS).fill("");
const iso = (ms: number) => {
  const slot = ms & (ISO_SLOTS - 1);
  if (isoMs[slot] !== ms) {
    isoText[slot] = new Date(ms).toISOString(); // throws for an invalid time (NaN never matches)
    isoMs[slot] = ms;
  }
  return isoText[slot] as string;
};
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function toJobJson(job: Job): JobJson {
  return {
    id: job.id,
    type: job.type,
    queue: job.queue,
    payload: job.payload,
    status: job.status,
    priority: job.priority,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    run_at: iso(job.runAt),
    timeout_ms: job.timeoutMs,
    idempotency_key: job.idempotencyKey,
    progress: job.progress,
    result: job.result,
    error: job.error,
    worker_id: job.workerId,
    lease_expires_at: isoOrNull(job.leaseExpiresAt),
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
    started_at: isoOrNull(job.startedAt),
    finished_at: isoOrNull(job.finishedAt),
  };
}

export const isFinished = (status: JobStatus) => FINISHED_STATUSES.includes(status);

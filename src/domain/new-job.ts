import type { CreateJobBody } from "../schemas/job.js";
import { JobdError } from "./errors.js";
import type { Job, JsonValue } from "./job.js";

export const DEFAULT_QUEUE = "default";
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

export interface NewJobContext {
  id: string;
  now: number;
  maxPayloadBytes: number;
}

/**
 * Builds a queued job from a create body that already passed its checks (queue/create-bodies.ts: the
 * schema, `run_at` and `delay_ms` not both). Checks what only the built job shows: the serialized
 * payload size.
 */
export function newJob(
  body: CreateJobBody,
  { id, now, maxPayloadBytes }: NewJobContext,
  field = "payload",
): Job {
  const payload = (body.payload ?? null) as JsonValue;
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size > maxPayloadBytes)
    throw new JobdError(
      "payload_too_large",
      `"${field}" is ${size} bytes, over the limit of ${maxPayloadBytes}`,
    );
  const runAt = body.run_at !== undefined ? Date.parse(body.run_at) : now + (body.delay_ms ?? 0);
  return {
    id,
    type: body.type,
    queue: body.queue ?? DEFAULT_QUEUE,
    payload,
    status: "queued",
    priority: body.priority ?? 0,
    attempts: 0,
    maxAttempts: body.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    runAt,
    timeoutMs: body.timeout_ms ?? null,
    idempotencyKey: body.idempotency_key ?? null,
    progress: null,
    result: null,
    error: null,
    workerId: null,
    leaseExpiresAt: null,
    leaseMs: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
  };
}

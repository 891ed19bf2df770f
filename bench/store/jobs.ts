/** Jobs for the benchmark: small realistic payloads, spread over 10 types and 4 queues. */
import { v7 } from "uuid";
import type { Job, JobStatus } from "../../src/domain/job.js";
import { DEFAULT_MAX_PAYLOAD_BYTES, newJob } from "../../src/domain/new-job.js";

export const TYPES = 10;
export const QUEUES = 4;

/** The i-th queued job, due now: `bench.t<i mod 10>` in `q<i mod 4>`, a ~80-byte payload. */
export function benchJob(i: number, now = Date.now()): Job {
  return newJob(
    {
      type: `bench.t${i % TYPES}`,
      queue: `q${i % QUEUES}`,
      payload: { to: `user${i}@example.com`, template: "welcome", locale: "en" },
    },
    { id: v7(), now, maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES },
  );
}

/** A history-like mix: 80% completed, 10% failed, 5% cancelled, 5% queued. */
const STATUS_MIX: readonly JobStatus[] = [
  ...Array<JobStatus>(16).fill("completed"),
  "failed",
  "failed",
  "cancelled",
  "queued",
];

/** The i-th job of a stored history, created `ageMs` ago, in the state the mix gives it. */
export function historyJob(i: number, now: number, ageMs: number): Job {
  const status = STATUS_MIX[i % STATUS_MIX.length] as JobStatus;
  const createdAt = now - ageMs;
  const job = { ...benchJob(i, createdAt), status };
  if (status === "queued") return job;
  const finishedAt = createdAt + 50;
  return {
    ...job,
    attempts: 1,
    startedAt: createdAt + 10,
    finishedAt,
    updatedAt: finishedAt,
    result: status === "completed" ? { ok: true } : null,
    error: status === "failed" ? "boom" : null,
  };
}

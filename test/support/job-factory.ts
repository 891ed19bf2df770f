/**
 * Builds a Job in any state for tests, straight from partial overrides: a processing job whose lease
 * expired an hour ago is `makeJob({ status: "processing", leaseExpiresAt: T0 - HOUR })`.
 * It starts from the domain's `newJob` defaults; fields a state needs (lease for processing, `finishedAt`
 * for finished states) get sensible values.
 */
import { v7 as uuidv7 } from "uuid";
import { isFinished, type Job } from "../../src/domain/job.js";
import { newJob } from "../../src/domain/new-job.js";

/** A fixed "now" for tests: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A job of `overrides.status` (default queued), due at T0, created at T0, with a fresh v7 id. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  const status = overrides.status ?? "queued";
  const createdAt = overrides.createdAt ?? T0;
  const base: Job = {
    ...newJob(
      { type: "test.job" },
      { id: uuidv7(), now: createdAt, maxPayloadBytes: Number.POSITIVE_INFINITY },
    ),
    status,
    attempts: status === "queued" ? 0 : 1,
    startedAt: status === "queued" ? null : createdAt,
    finishedAt: isFinished(status) ? createdAt : null,
  };
  if (status === "processing")
    Object.assign(base, {
      workerId: "worker-1",
      leaseMs: 30 * SECOND,
      leaseExpiresAt: createdAt + 30 * SECOND,
    });
  return { ...base, ...overrides };
}

/** `count` jobs built by `makeJob`, each given `overrides(i)`; ids increase with `i`. */
export function makeJobs(count: number, overrides: (i: number) => Partial<Job> = () => ({})): Job[] {
  return Array.from({ length: count }, (_, i) => makeJob(overrides(i)));
}

/** The domain's transitions and backoff, as pure functions: every rule of DESIGN.md §2 once, without a store. */
import { describe, expect, test } from "vitest";
import type { Job } from "../../src/domain/job.js";
import { BACKOFF_MAX_MS, backoffMs } from "../../src/domain/retry-policy.js";
import {
  cancel,
  claim,
  complete,
  ERROR_INTERRUPTED,
  ERROR_LEASE_EXPIRED,
  ERROR_TIMED_OUT,
  expireLease,
  fail,
  heartbeat,
  manualRetry,
  releaseOnShutdown,
  requeueInterrupted,
  retryFailedOnStartup,
} from "../../src/domain/transitions.js";
import { HOUR, makeJob, SECOND, T0 } from "../support/job-factory.js";

const LEASE = { workerId: "w1", attempt: 1 };
const lowJitter = () => 0;
const highJitter = () => 0.999_999;

function claimed(overrides: Partial<Job> = {}): Job {
  return claim(makeJob(overrides), { workerId: "w1", leaseMs: 30 * SECOND, now: T0 });
}

describe("backoff", () => {
  test.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [11, 1_024_000],
  ])("attempt %i waits %i ms × [0.8, 1.2]", (attempts, base) => {
    expect(backoffMs(attempts, lowJitter)).toBe(base * 0.8);
    expect(backoffMs(attempts, highJitter)).toBeCloseTo(base * 1.2, -1);
  });

  test("is capped at one hour (before jitter), however many attempts", () => {
    expect(backoffMs(13, lowJitter)).toBe(BACKOFF_MAX_MS * 0.8);
    expect(backoffMs(1000, highJitter)).toBeLessThanOrEqual(BACKOFF_MAX_MS * 1.2);
  });
});

describe("claim and lease", () => {
  test("counts an attempt, leases to the worker, stamps the start", () => {
    const job = claimed();
    expect(job).toMatchObject({ status: "processing", attempts: 1, workerId: "w1", startedAt: T0 });
    expect(job.leaseExpiresAt).toBe(T0 + 30 * SECOND);
  });

  test("a new run starts without the progress an earlier attempt reported", () => {
    expect(claimed({ attempts: 1, progress: 60 }).progress).toBeNull();
  });

  test("a lease never reaches past started_at + timeout_ms, not even by heartbeat", () => {
    const job = claimed({ timeoutMs: 10 * SECOND });
    expect(job.leaseExpiresAt).toBe(T0 + 10 * SECOND);
    const beaten = heartbeat(job, LEASE, { now: T0 + 5 * SECOND, leaseMs: 60 * SECOND });
    expect(beaten.leaseExpiresAt).toBe(T0 + 10 * SECOND);
  });

  test("a heartbeat without lease_ms extends by the length the lease was granted with", () => {
    const beaten = heartbeat(claimed(), LEASE, { now: T0 + 20 * SECOND });
    expect(beaten.leaseExpiresAt).toBe(T0 + 50 * SECOND);
  });

  test.each([
    ["another worker", { workerId: "w2", attempt: 1 }, T0],
    ["another attempt", { workerId: "w1", attempt: 2 }, T0],
    ["an expired lease", LEASE, T0 + HOUR],
  ])("complete from %s is a conflict", (_, lease, now) => {
    expect(() => complete(claimed(), lease, { now, result: null })).toThrow(
      expect.objectContaining({ code: "conflict" }),
    );
  });
});

describe("failures", () => {
  test("with attempts left: queued again after the backoff, error kept", () => {
    const job = fail(claimed(), LEASE, { now: T0 + SECOND, error: "boom", random: lowJitter });
    expect(job).toMatchObject({ status: "queued", error: "boom", workerId: null, leaseExpiresAt: null });
    expect(job.runAt).toBe(T0 + SECOND + 800);
  });

  test("on the last attempt, or not retryable: failed", () => {
    const last = claimed({ attempts: 2, maxAttempts: 3 });
    expect(fail(last, { workerId: "w1", attempt: 3 }, { now: T0, error: "x" }).status).toBe("failed");
    expect(fail(claimed(), LEASE, { now: T0, error: "x", retryable: false })).toMatchObject({
      status: "failed",
      finishedAt: T0,
    });
  });

  test("an expired lease is a counted failure; one that ended at the timeout says so", () => {
    expect(expireLease(claimed(), { now: T0 + HOUR }).error).toBe(ERROR_LEASE_EXPIRED);
    expect(expireLease(claimed({ timeoutMs: 5 * SECOND }), { now: T0 + HOUR }).error).toBe(ERROR_TIMED_OUT);
  });
});

describe("recovery and shutdown", () => {
  test("an interrupted run is queued at once with its attempt counted", () => {
    expect(requeueInterrupted(claimed(), T0 + HOUR)).toMatchObject({
      status: "queued",
      attempts: 1,
      runAt: T0 + HOUR,
      error: ERROR_INTERRUPTED,
    });
  });

  test("an interrupted run with no attempts left fails, saying it was interrupted", () => {
    const job = requeueInterrupted(claimed({ maxAttempts: 1 }), T0 + HOUR);
    expect(job.status).toBe("failed");
    expect(job.error).toContain("interrupted");
  });

  test("a run cut short by a graceful shutdown does not count", () => {
    expect(releaseOnShutdown(claimed(), LEASE, T0 + SECOND)).toMatchObject({ status: "queued", attempts: 0 });
  });

  test("retry-failed-on-startup raises max_attempts to N and keeps counting attempts", () => {
    const failed = makeJob({ status: "failed", attempts: 3, maxAttempts: 3 });
    expect(retryFailedOnStartup(failed, 5, T0)).toMatchObject({
      status: "queued",
      attempts: 3,
      maxAttempts: 5,
    });
    expect(retryFailedOnStartup({ ...failed, attempts: 5 }, 5, T0)).toBeNull();
  });
});

describe("manual actions", () => {
  test("cancel: queued or processing only", () => {
    expect(cancel(claimed(), T0).status).toBe("cancelled");
    expect(() => cancel(makeJob({ status: "completed" }), T0)).toThrow(
      expect.objectContaining({ code: "conflict" }),
    );
  });

  test("retry: failed or cancelled back to queued as new, the last error kept", () => {
    const failed = makeJob({ status: "failed", attempts: 3, error: "boom", progress: 40, result: 1 });
    expect(manualRetry(failed, T0 + HOUR)).toMatchObject({
      status: "queued",
      attempts: 0,
      runAt: T0 + HOUR,
      error: "boom",
      progress: null,
      result: null,
      startedAt: null,
      finishedAt: null,
    });
    expect(() => manualRetry(makeJob(), T0)).toThrow(expect.objectContaining({ code: "conflict" }));
  });
});

/** The remote-worker operations: long-poll lease, and heartbeat/complete/fail fenced by worker and attempt. */
import { describe, expect, test } from "vitest";
import type { Job } from "../../src/domain/job.js";
import type { LeaseRequest } from "../../src/queue/job-queue-api.js";
import { nextEvent, startEngine } from "./engine-fixture.js";

const request = (over: Partial<LeaseRequest> = {}): LeaseRequest => ({
  workerId: "remote-1",
  maxJobs: 1,
  leaseMs: 10_000,
  waitMs: 0,
  ...over,
});

const conflictOf = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ code: "conflict" });

describe("lease long poll", () => {
  test("returns as soon as a matching job is created", async () => {
    const { queue } = await startEngine();
    const started = Date.now();
    const leasing = queue.lease(request({ types: ["remote"], waitMs: 10_000 }));
    setTimeout(() => void queue.enqueue({ type: "remote" }), 30);
    const jobs = await leasing;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      type: "remote",
      status: "processing",
      workerId: "remote-1",
      attempts: 1,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test("wakes at the run_at of a delayed job, not before", async () => {
    const { queue } = await startEngine();
    const { job } = await queue.enqueue({ type: "remote", delay_ms: 150 });
    const jobs = await queue.lease(request({ waitMs: 10_000 }));
    expect(jobs.map((j) => j.id)).toEqual([job.id]);
    expect(Date.now()).toBeGreaterThanOrEqual(job.runAt);
    expect(Date.now() - job.runAt).toBeLessThan(2_000);
  });

  test("ignores jobs it did not ask for and returns [] at the deadline", async () => {
    const { queue } = await startEngine();
    const leasing = queue.lease(request({ types: ["mine"], queues: ["q1"], waitMs: 120 }));
    await queue.enqueue({ type: "other" });
    await queue.enqueue({ type: "mine", queue: "q2" });
    expect(await leasing).toEqual([]);
  });

  test("resolves [] when its AbortSignal fires, and when the queue shuts down", async () => {
    const { queue } = await startEngine();
    const controller = new AbortController();
    const leasing = queue.lease(request({ waitMs: 30_000 }), controller.signal);
    controller.abort();
    expect(await leasing).toEqual([]);
    const polling = queue.lease(request({ waitMs: 30_000 }));
    await queue.shutdown(0);
    expect(await polling).toEqual([]);
  });

  test("claims up to max_jobs, highest priority first", async () => {
    const { queue } = await startEngine();
    await queue.enqueueMany([{ type: "r", priority: 1 }, { type: "r", priority: 5 }, { type: "r" }]);
    const jobs = await queue.lease(request({ maxJobs: 2 }));
    expect(jobs.map((j) => j.priority)).toEqual([5, 1]);
  });
});

describe("fenced worker calls", () => {
  async function leasedJob(
    body = {},
  ): Promise<{ queue: Awaited<ReturnType<typeof startEngine>>["queue"]; job: Job }> {
    const { queue } = await startEngine();
    await queue.enqueue({ type: "remote", ...body });
    const [job] = await queue.lease(request());
    if (!job) throw new Error("nothing leased");
    return { queue, job };
  }

  test("heartbeat extends the lease and reports progress; a stranger or an old attempt gets conflict", async () => {
    const { queue, job } = await leasedJob();
    const progress = nextEvent(queue, "progress");
    const beat = await queue.heartbeat(job.id, {
      workerId: "remote-1",
      attempt: 1,
      progress: 40,
      leaseMs: 60_000,
    });
    expect(beat.progress).toBe(40);
    expect(beat.leaseExpiresAt).toBeGreaterThan(job.leaseExpiresAt ?? 0);
    expect((await progress).progress).toBe(40);
    await conflictOf(queue.heartbeat(job.id, { workerId: "remote-2", attempt: 1 }));
    await conflictOf(queue.complete(job.id, { workerId: "remote-1", attempt: 2 }));
  });

  test("complete stores the result once; a second complete is a conflict", async () => {
    const { queue, job } = await leasedJob();
    const completed = nextEvent(queue, "completed");
    const done = await queue.complete(job.id, { workerId: "remote-1", attempt: 1, result: { ok: 1 } });
    expect(done).toMatchObject({
      status: "completed",
      result: { ok: 1 },
      workerId: null,
      leaseExpiresAt: null,
    });
    expect((await completed).id).toBe(job.id);
    await conflictOf(queue.complete(job.id, { workerId: "remote-1", attempt: 1 }));
  });

  test("fail requeues with backoff while attempts remain, or fails when not retryable", async () => {
    const { queue, job } = await leasedJob({ max_attempts: 3 });
    const retrying = nextEvent(queue, "retrying");
    const again = await queue.fail(job.id, { workerId: "remote-1", attempt: 1, error: "flaky" });
    expect(again).toMatchObject({ status: "queued", error: "flaky", attempts: 1 });
    expect((await retrying).id).toBe(job.id);
    const { queue: q2, job: j2 } = await leasedJob({ max_attempts: 3 });
    const failed = await q2.fail(j2.id, {
      workerId: "remote-1",
      attempt: 1,
      error: "fatal",
      retryable: false,
    });
    expect(failed).toMatchObject({ status: "failed", error: "fatal" });
  });

  test("a job cancelled while leased is cancelled at once; the worker learns it from a 409", async () => {
    const { queue, job } = await leasedJob();
    expect((await queue.cancel(job.id)).status).toBe("cancelled");
    await conflictOf(queue.heartbeat(job.id, { workerId: "remote-1", attempt: 1 }));
  });

  test("deleting a processing job is a conflict; a finished one is deleted and announced", async () => {
    const { queue, job } = await leasedJob();
    await conflictOf(queue.delete(job.id));
    await queue.complete(job.id, { workerId: "remote-1", attempt: 1 });
    const deleted = nextEvent(queue, "deleted");
    await queue.delete(job.id);
    expect((await deleted).id).toBe(job.id);
    await expect(queue.get(job.id)).rejects.toMatchObject({ code: "not_found" });
  });
});

/** Graceful shutdown: stop claiming, let runs finish for the timeout, then release the rest uncounted. */
import { describe, expect, test } from "vitest";
import { deferred, settled, startEngine } from "./engine-fixture.js";

describe("graceful shutdown", () => {
  test("a handler that finishes within the timeout completes; nothing new is claimed meanwhile", async () => {
    const started = deferred();
    const finish = deferred();
    const { queue } = await startEngine({
      handlers: {
        work: async () => {
          started.resolve();
          await finish.promise;
          return "finished";
        },
      },
    });
    const { job } = await queue.enqueue({ type: "work" });
    await started.promise;
    const closing = queue.shutdown(10_000);
    const { job: late } = await queue.enqueue({ type: "work" });
    finish.resolve();
    await closing;
    expect(await queue.get(job.id)).toMatchObject({ status: "completed", result: "finished" });
    expect(await queue.get(late.id)).toMatchObject({ status: "queued", attempts: 0 });
  });

  test("after the timeout, runs are aborted and queued again without counting the attempt", async () => {
    const started = deferred();
    let reason: unknown;
    const { queue } = await startEngine({
      handlers: {
        stuck: (_p, ctx) => {
          started.resolve();
          return new Promise(() => {
            ctx.signal.addEventListener("abort", () => {
              reason = ctx.signal.reason;
            });
          });
        },
      },
    });
    const { job } = await queue.enqueue({ type: "stuck", max_attempts: 1 });
    await started.promise;
    const began = Date.now();
    await queue.shutdown(100);
    expect(Date.now() - began).toBeGreaterThanOrEqual(95);
    expect((reason as Error).message).toContain("shutting down");
    expect(await queue.get(job.id)).toMatchObject({
      status: "queued",
      attempts: 0,
      workerId: null,
      leaseExpiresAt: null,
      error: null,
    });
  });

  test("is safe to call twice, and leaves remote workers' leases alone", async () => {
    const { queue } = await startEngine({ handlers: { local: () => "ok" } });
    const { job } = await queue.enqueue({ type: "remote" });
    const [leased] = await queue.lease({ workerId: "remote-1", maxJobs: 1, leaseMs: 60_000, waitMs: 0 });
    const first = queue.shutdown(1_000);
    const second = queue.shutdown(1_000);
    await Promise.all([first, second]);
    expect(await queue.get(job.id)).toMatchObject({
      status: "processing",
      workerId: "remote-1",
      leaseExpiresAt: leased?.leaseExpiresAt,
    });
    // The remote worker can still finish it after the engine stopped.
    expect((await queue.complete(job.id, { workerId: "remote-1", attempt: 1 })).status).toBe("completed");
  });

  test("shutdown with nothing running resolves at once", async () => {
    const { queue } = await startEngine({ handlers: { local: () => "ok" } });
    const { job } = await queue.enqueue({ type: "local" });
    await settled(queue, job.id);
    const began = Date.now();
    await queue.shutdown(30_000);
    expect(Date.now() - began).toBeLessThan(1_000);
  });
});

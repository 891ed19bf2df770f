/** The executor: each handler outcome is classified once and stored with one guarded transition. */
import { describe, expect, onTestFinished, test } from "vitest";
import { MemoryJobStore } from "../../src/store/memory/memory-job-store.js";
import { deferred, nextEvent, settled, startEngine } from "./engine-fixture.js";

describe("in-process handler outcomes", () => {
  test("a returned value is stored as the result of a completed job", async () => {
    const { queue } = await startEngine({
      handlers: { add: async (p) => ({ sum: (p as number[]).length + 41 }) },
    });
    const { job } = await queue.enqueue({ type: "add", payload: [41] });
    const done = await settled(queue, job.id);
    expect(done).toMatchObject({ status: "completed", result: { sum: 42 }, attempts: 1, workerId: null });
  });

  test("a handler that returns nothing completes with result null", async () => {
    const { queue } = await startEngine({ handlers: { noop: () => {} } });
    const { job } = await queue.enqueue({ type: "noop" });
    expect(await settled(queue, job.id)).toMatchObject({ status: "completed", result: null });
  });

  test("a throwing handler is retried with backoff, then failed with its error kept", async () => {
    let calls = 0;
    const { queue } = await startEngine({
      handlers: {
        boom: () => {
          calls++;
          throw new Error("kaput");
        },
      },
    });
    const { job } = await queue.enqueue({ type: "boom", max_attempts: 1 });
    const failed = await settled(queue, job.id);
    expect(failed).toMatchObject({ status: "failed", error: "kaput", attempts: 1 });
    expect(calls).toBe(1);

    const retrying = nextEvent(queue, "retrying");
    const { job: retried } = await queue.enqueue({ type: "boom", max_attempts: 2 });
    const queuedAgain = await retrying;
    expect(queuedAgain).toMatchObject({ id: retried.id, status: "queued", attempts: 1 });
    expect(queuedAgain.error).toBe("kaput");
    expect(queuedAgain.runAt - queuedAgain.updatedAt).toBeGreaterThanOrEqual(800); // backoff 1 s ± 20 %
  });

  test("an error with retryable: false fails the job at once", async () => {
    const { queue } = await startEngine({
      handlers: { bad: () => Promise.reject(Object.assign(new Error("bad input"), { retryable: false })) },
    });
    const { job } = await queue.enqueue({ type: "bad", max_attempts: 5 });
    expect(await settled(queue, job.id)).toMatchObject({ status: "failed", attempts: 1, error: "bad input" });
  });

  test("a result that is not JSON fails the job with an error naming the path", async () => {
    const { queue } = await startEngine({
      handlers: {
        fn: () => ({ ok: true, callback: () => 1 }),
        date: () => ({ at: new Date(0) }),
        nan: () => [1, Number.NaN],
        big: () => 10n,
      },
    });
    const expectations: [string, string][] = [
      ["fn", "result.callback is a function"],
      ["date", "result.at is a Date"],
      ["nan", "result[1] is NaN"],
      ["big", "result is a bigint"],
    ];
    for (const [type, message] of expectations) {
      const { job } = await queue.enqueue({ type, max_attempts: 3 });
      const failed = await settled(queue, job.id);
      expect(failed.status).toBe("failed");
      expect(failed.attempts).toBe(1);
      expect(failed.error).toContain("not JSON");
      expect(failed.error).toContain(message);
    }
  });

  test("timeout_ms aborts the signal and counts as a failure 'timed out'", async () => {
    let reason: unknown;
    const { queue } = await startEngine({
      handlers: {
        slow: (_p, ctx) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener("abort", () => {
              reason = ctx.signal.reason;
              reject(ctx.signal.reason);
            });
          }),
      },
    });
    const { job } = await queue.enqueue({ type: "slow", timeout_ms: 50, max_attempts: 1 });
    expect(await settled(queue, job.id)).toMatchObject({ status: "failed", error: "timed out", attempts: 1 });
    expect((reason as Error).name).toBe("RunAborted");
  });

  test("a handler that ignores its abort signal does not hold its slot after the timeout", async () => {
    const never = deferred();
    let started = 0;
    const { queue } = await startEngine({
      concurrency: 1,
      handlers: {
        stubborn: () => {
          started++;
          return never.promise;
        },
        quick: () => "done",
      },
    });
    const { job: stubborn } = await queue.enqueue({ type: "stubborn", timeout_ms: 30, max_attempts: 1 });
    const { job: quick } = await queue.enqueue({ type: "quick" });
    expect(await settled(queue, stubborn.id)).toMatchObject({ status: "failed", error: "timed out" });
    expect(await settled(queue, quick.id)).toMatchObject({ status: "completed", result: "done" });
    never.resolve(); // the late return is ignored
    await new Promise((r) => setImmediate(r));
    expect((await queue.get(stubborn.id)).status).toBe("failed");
    expect(started).toBe(1);
  });

  test("progress is stored and announced; after the job finished it is ignored harmlessly", async () => {
    const late = deferred<() => Promise<void>>();
    const { queue } = await startEngine({
      handlers: {
        work: async (_p, ctx) => {
          await ctx.progress(50);
          late.resolve(() => ctx.progress(90));
          return "ok";
        },
      },
    });
    const progressed: number[] = [];
    queue.on("progress", (job) => progressed.push(job.progress ?? -1));
    const { job } = await queue.enqueue({ type: "work" });
    const done = await settled(queue, job.id);
    expect(done).toMatchObject({ status: "completed", progress: 50 });
    await expect((await late.promise)()).resolves.toBeUndefined();
    expect((await queue.get(job.id)).progress).toBe(50);
    expect(progressed).toEqual([50]);
  });

  test("progress outside 0…100 is refused to the handler", async () => {
    const { queue } = await startEngine({ handlers: { work: (_p, ctx) => ctx.progress(101) } });
    const { job } = await queue.enqueue({ type: "work", max_attempts: 1 });
    const failed = await settled(queue, job.id);
    expect(failed.error).toContain("progress must be a number from 0 to 100");
  });

  test("progress outside 0…100 throws synchronously: the handler can catch it", async () => {
    const { queue } = await startEngine({
      handlers: {
        work: (_p, ctx) => {
          try {
            void ctx.progress(Number.NaN);
          } catch (error) {
            return (error as Error).message;
          }
          return "not thrown";
        },
      },
    });
    const { job } = await queue.enqueue({ type: "work" });
    expect(await settled(queue, job.id)).toMatchObject({
      status: "completed",
      result: "progress must be a number from 0 to 100 (got NaN)",
    });
  });

  test("a progress write that fails is logged, never an unhandled rejection; the run goes on", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    onTestFinished(() => {
      process.off("unhandledRejection", onUnhandled);
    });
    const memory = await MemoryJobStore.open();
    let failNextWrite = false;
    const store = new Proxy(memory, {
      get(target, name, receiver) {
        if (name !== "update") return Reflect.get(target, name, receiver);
        return (...args: Parameters<MemoryJobStore["update"]>) => {
          if (!failNextWrite) return target.update(...args);
          failNextWrite = false;
          return Promise.reject(new Error("disk full"));
        };
      },
    });
    const { queue } = await startEngine({
      store,
      handlers: {
        work: (_p, ctx) => {
          failNextWrite = true;
          void ctx.progress(30); // not awaited, as handlers often do
          return "ok";
        },
      },
    });
    const { job } = await queue.enqueue({ type: "work" });
    expect(await settled(queue, job.id)).toMatchObject({ status: "completed", result: "ok", progress: null });
    await new Promise((resolve) => setTimeout(resolve, 10)); // unhandled rejections are reported after a turn
    expect(unhandled).toEqual([]);
  });

  test("cancelling a running job fires its handler's signal and keeps it cancelled", async () => {
    const started = deferred();
    let aborted = false;
    const { queue } = await startEngine({
      handlers: {
        long: (_p, ctx) =>
          new Promise((resolve) => {
            started.resolve();
            ctx.signal.addEventListener("abort", () => {
              aborted = true;
              resolve("finished anyway");
            });
          }),
      },
    });
    const { job } = await queue.enqueue({ type: "long" });
    await started.promise;
    const cancelled = await queue.cancel(job.id);
    expect(cancelled.status).toBe("cancelled");
    expect(aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await queue.get(job.id)).toMatchObject({ status: "cancelled", result: null });
  });

  test("the handler sees the job in the wire format and a bound logger", async () => {
    const seen = deferred<unknown>();
    const { queue } = await startEngine({
      handlers: {
        look: (payload, ctx) => {
          ctx.log.info("running");
          seen.resolve({ payload, id: ctx.job.id, attempts: ctx.job.attempts, worker: ctx.job.worker_id });
        },
      },
    });
    const { job } = await queue.enqueue({ type: "look", payload: { a: 1 } });
    expect(await seen.promise).toEqual({
      payload: { a: 1 },
      id: job.id,
      attempts: 1,
      worker: queue.workerId,
    });
  });
});

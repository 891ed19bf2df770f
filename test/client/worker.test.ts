/**
 * JobdClient.work() against a real in-process server: results and errors reported, NonRetryableError,
 * progress through heartbeats, cancellation reaching the handler's signal, the concurrency bound,
 * stop() draining in-flight jobs, and a wrong token stopping the worker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobdClient, NonRetryableError } from "../../src/client/index.js";
import { type RunningServer, startServer } from "./in-process-server.js";
import { waitForJob } from "./wait-for-job.js";

let server: RunningServer & { url: string };
let client: JobdClient;

beforeAll(async () => {
  server = await startServer();
  client = new JobdClient({ url: server.url });
});
afterAll(() => server.close());

const settled = (id: string, statuses: string[]) => waitForJob(client, id, statuses);

const quiet = { onError: () => {}, waitMs: 1_000 };

describe("work()", () => {
  it("completes a job with the handler's return value", async () => {
    const worker = client.work("w.ok", async (payload) => ({ doubled: (payload as number) * 2 }), quiet);
    const job = await client.create({ type: "w.ok", payload: 21 });
    const done = await settled(job.id, ["completed"]);
    await worker.stop();
    expect(done).toMatchObject({
      status: "completed",
      result: { doubled: 42 },
      attempts: 1,
      worker_id: null,
    });
  });

  it("fails with the thrown error's message, retryable by default", async () => {
    const worker = client.work(
      "w.err",
      async () => {
        throw new Error("smtp down");
      },
      quiet,
    );
    const job = await client.create({ type: "w.err", max_attempts: 2 });
    // the first failure queues it again with backoff (about 1 s); the second spends the last attempt
    const final = await settled(job.id, ["failed"]);
    await worker.stop();
    expect(final).toMatchObject({ status: "failed", attempts: 2, error: "smtp down" });
  });

  it("fails at once, whatever attempts are left, on a NonRetryableError", async () => {
    const worker = client.work(
      "w.fatal",
      async () => {
        throw new NonRetryableError("bad address");
      },
      quiet,
    );
    const job = await client.create({ type: "w.fatal", max_attempts: 5 });
    const final = await settled(job.id, ["failed"]);
    await worker.stop();
    expect(final).toMatchObject({ status: "failed", attempts: 1, error: "bad address" });
  });

  it("reports progress with its heartbeats (every third of the lease)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = client.work(
      "w.progress",
      async (_payload, ctx) => {
        ctx.progress(55);
        await gate;
        return "ok";
      },
      { ...quiet, leaseMs: 1_000 },
    );
    const job = await client.create({ type: "w.progress" });
    const progressed = await settled(job.id, ["processing"]).then(async () => {
      for (;;) {
        const now = await client.get(job.id);
        if (now.progress === 55) return now;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    expect(new Date(progressed.lease_expires_at ?? 0).getTime()).toBeGreaterThan(Date.now());
    release();
    expect((await settled(job.id, ["completed"])).progress).toBe(55);
    await worker.stop();
  });

  it("progress outside 0…100 throws to the handler at once; uncaught, it fails the job", async () => {
    const caught = client.work(
      "w.progress.caught",
      (_payload, ctx) => {
        try {
          ctx.progress(150);
        } catch (error) {
          return (error as Error).message;
        }
        return "not thrown";
      },
      quiet,
    );
    const uncaught = client.work("w.progress.uncaught", (_payload, ctx) => ctx.progress(-1), quiet);
    const first = await client.create({ type: "w.progress.caught" });
    const second = await client.create({ type: "w.progress.uncaught", max_attempts: 1 });
    expect(await settled(first.id, ["completed"])).toMatchObject({
      result: "progress must be a number from 0 to 100 (got 150)",
      progress: null,
    });
    expect(await settled(second.id, ["failed"])).toMatchObject({
      error: "progress must be a number from 0 to 100 (got -1)",
    });
    await Promise.all([caught.stop(), uncaught.stop()]);
  });

  it("aborts the handler's signal when the job is cancelled (the heartbeat gets 409)", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let sawAbort = false;
    const worker = client.work(
      "w.cancel",
      (_payload, ctx) => {
        started();
        return new Promise((_resolve, reject) =>
          ctx.signal.addEventListener("abort", () => {
            sawAbort = true;
            reject(new Error("stopped"));
          }),
        );
      },
      { ...quiet, leaseMs: 1_000 },
    );
    const job = await client.create({ type: "w.cancel" });
    await running;
    await client.cancel(job.id);
    await worker.stop(); // resolves once the handler has given up
    expect(sawAbort).toBe(true);
    expect((await client.get(job.id)).status).toBe("cancelled");
  });

  it("a cancel is not an error: the signal aborts, onError hears nothing", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let signal: AbortSignal | undefined;
    const errors: unknown[] = [];
    const worker = client.work(
      "w.cancel.quiet",
      (_payload, ctx) => {
        signal = ctx.signal;
        started();
        return new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve("too late")));
      },
      { waitMs: 1_000, leaseMs: 1_000, onError: (error) => errors.push(error) },
    );
    const job = await client.create({ type: "w.cancel.quiet" });
    await running;
    await client.cancel(job.id);
    await worker.stop(); // resolves once the heartbeat's 409 has aborted the handler
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ code: "conflict" });
    expect(errors).toEqual([]);
    expect(await client.get(job.id)).toMatchObject({ status: "cancelled", result: null });
  });

  it("an outcome refused because the job was cancelled meanwhile is not an error either", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const errors: unknown[] = [];
    const worker = client.work(
      "w.cancel.report",
      async () => {
        started();
        await gate;
        return "done";
      },
      // A long lease: no heartbeat learns of the cancel before the handler returns; `complete` gets 409.
      { waitMs: 1_000, leaseMs: 30_000, onError: (error) => errors.push(error) },
    );
    const job = await client.create({ type: "w.cancel.report" });
    await running;
    await client.cancel(job.id);
    release();
    await worker.stop();
    expect(errors).toEqual([]);
    expect(await client.get(job.id)).toMatchObject({ status: "cancelled", result: null });
  });

  it("runs at most `concurrency` jobs at once, and stop() waits for them", async () => {
    let active = 0;
    let peak = 0;
    const worker = client.work(
      "w.many",
      async () => {
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, 150));
        active--;
      },
      { ...quiet, concurrency: 3 },
    );
    const jobs = await client.createMany(Array.from({ length: 7 }, () => ({ type: "w.many" })));
    for (const job of jobs) await settled(job.id, ["completed"]);
    await worker.stop();
    expect(peak).toBe(3);
    expect(worker.active).toBe(0);
  });

  it("stop() lets the job in hand finish and report", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const worker = client.work(
      "w.drain",
      async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return "drained";
      },
      quiet,
    );
    const job = await client.create({ type: "w.drain" });
    await running;
    await worker.stop();
    expect(await client.get(job.id)).toMatchObject({ status: "completed", result: "drained" });
  });

  it("stops when its `signal` aborts, like stop()", async () => {
    const controller = new AbortController();
    const worker = client.work("w.signal", () => "done", { onError: () => {}, signal: controller.signal });
    const job = await client.create({ type: "w.signal" });
    await settled(job.id, ["completed"]);
    const stopping = Date.now();
    controller.abort();
    await worker.stopped;
    expect(Date.now() - stopping).toBeLessThan(5_000); // its 20 s long poll was cut short, not waited out
    expect(worker.active).toBe(0);
  });

  it("stops on an error retrying cannot fix (a wrong token) and says why", async () => {
    const guarded = await startServer({ apiToken: "right" });
    try {
      const errors: unknown[] = [];
      const worker = new JobdClient({ url: guarded.url, token: "wrong" }).work("w.any", () => null, {
        onError: (error) => errors.push(error),
      });
      await worker.stopped;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: "unauthorized" });
    } finally {
      await guarded.close();
    }
  });
});

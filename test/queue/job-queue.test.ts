/** JobQueue's own operations: create validation, idempotency, retry, cancel, events, stats. */
import { describe, expect, test } from "vitest";
import type { Job } from "../../src/domain/job.js";
import { nextEvent, startEngine } from "./engine-fixture.js";

describe("creating jobs", () => {
  test("validates a create body and names the field", async () => {
    const { queue } = await startEngine();
    await expect(queue.enqueue({ type: "bad type!" })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(queue.enqueue({ type: "t", priority: "1" } as never)).rejects.toThrow(/priority/);
    await expect(queue.enqueue({ type: "t", extra: 1 } as never)).rejects.toThrow(/unknown field "extra"/);
    await expect(queue.enqueue({ type: "t", delay_ms: 1, run_at: new Date().toISOString() })).rejects.toThrow(
      /not both/,
    );
  });

  test("refuses a payload over maxPayloadBytes with payload_too_large", async () => {
    const { queue } = await startEngine();
    await expect(queue.enqueue({ type: "t", payload: "x".repeat(1_048_577) })).rejects.toMatchObject({
      code: "payload_too_large",
    });
  });

  test("an existing idempotency key returns the stored job unchanged", async () => {
    const { queue } = await startEngine();
    const first = await queue.enqueue({ type: "t", idempotency_key: "k1", payload: 1 });
    const second = await queue.enqueue({ type: "other", idempotency_key: "k1", payload: 2 });
    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, job: first.job });
  });

  test("a batch is all or none; the same key twice in one batch is invalid_request", async () => {
    const { queue } = await startEngine();
    await expect(
      queue.enqueueMany([
        { type: "t", idempotency_key: "a" },
        { type: "t" },
        { type: "t", idempotency_key: "a" },
      ]),
    ).rejects.toThrow(/jobs\[2\]\.idempotency_key" repeats the key of jobs\[0\]/);
    await expect(queue.enqueueMany([{ type: "t" }, { type: "t", max_attempts: 0 }])).rejects.toThrow(
      /jobs\[1\]\.max_attempts/,
    );
    expect((await queue.stats()).counts.queued).toBe(0);
  });

  test("a batch returns jobs in order, the stored one for a known key; ids are UUID v7", async () => {
    const { queue } = await startEngine();
    const { job: known } = await queue.enqueue({ type: "t", idempotency_key: "known" });
    const created: Job[] = [];
    queue.on("created", (job) => created.push(job));
    const results = await queue.enqueueMany([
      { type: "a" },
      { type: "b", idempotency_key: "known" },
      { type: "c" },
    ]);
    expect(results.map((r) => [r.job.type, r.created])).toEqual([
      ["a", true],
      ["t", false],
      ["c", true],
    ]);
    expect(results[1]?.job.id).toBe(known.id);
    expect(created.map((j) => j.type)).toEqual(["a", "c"]);
    for (const r of results) expect(r.job.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });
});

describe("managing jobs", () => {
  test("retry brings a failed job back as new; retry of a queued job is a conflict", async () => {
    const { queue } = await startEngine();
    const { job } = await queue.enqueue({ type: "remote" });
    await expect(queue.retry(job.id)).rejects.toMatchObject({ code: "conflict" });
    const [leased] = await queue.lease({ workerId: "w", maxJobs: 1, leaseMs: 5_000, waitMs: 0 });
    await queue.fail(job.id, {
      workerId: "w",
      attempt: leased?.attempts ?? 0,
      error: "no",
      retryable: false,
    });
    const retrying = nextEvent(queue, "retrying");
    const again = await queue.retry(job.id);
    expect(again).toMatchObject({ status: "queued", attempts: 0, error: "no", finishedAt: null });
    expect((await retrying).id).toBe(job.id);
  });

  test("retryFailed requeues the failed jobs matching the filter in one step", async () => {
    const { queue } = await startEngine();
    await queue.enqueueMany([{ type: "a" }, { type: "a" }, { type: "b" }]);
    const leased = await queue.lease({ workerId: "w", maxJobs: 3, leaseMs: 5_000, waitMs: 0 });
    for (const job of leased)
      await queue.fail(job.id, { workerId: "w", attempt: 1, error: "x", retryable: false });
    expect(await queue.retryFailed({ type: "a" })).toBe(2);
    expect((await queue.stats()).counts).toMatchObject({ queued: 2, failed: 1 });
  });

  test("cancel of a queued job announces cancelled; cancelling again is a conflict", async () => {
    const { queue } = await startEngine();
    const { job } = await queue.enqueue({ type: "t" });
    const cancelled = nextEvent(queue, "cancelled");
    await queue.cancel(job.id);
    expect((await cancelled).status).toBe("cancelled");
    await expect(queue.cancel(job.id)).rejects.toMatchObject({ code: "conflict" });
    await expect(queue.cancel("0190d1b2-0000-7000-8000-000000000000")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  test("a listener that throws does not disturb the change or other listeners", async () => {
    const { queue } = await startEngine();
    const seen: string[] = [];
    queue.on("created", () => {
      throw new Error("listener bug");
    });
    queue.on("created", (job) => seen.push(job.id));
    const { job } = await queue.enqueue({ type: "t" });
    expect(seen).toEqual([job.id]);
  });

  test("stats report counts, backend, durability and the recovery result", async () => {
    const { queue } = await startEngine();
    await queue.enqueue({ type: "t", queue: "q1" });
    const stats = await queue.stats();
    expect(stats).toMatchObject({
      backend: "memory",
      durability: "none",
      recovery: { recovered: 0, requeued: 0, failed: 0, retried: 0, pruned: 0 },
    });
    expect(stats.queues.q1?.queued).toBe(1);
    expect(queue.maintenanceTotals()).toEqual({ reapedLeases: 0, pruned: 0 });
  });
});

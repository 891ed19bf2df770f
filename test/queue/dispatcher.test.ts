/** The dispatcher: order, delays, concurrency limits, and what it leaves to remote workers. */
import { describe, expect, test } from "vitest";
import type { JobHandler } from "../../src/queue/handlers.js";
import { completions, deferred, settled, startEngine } from "./engine-fixture.js";

describe("dispatcher", () => {
  test("runs the highest priority first, then the earliest run_at, then the oldest", async () => {
    const order: string[] = [];
    const handlers = { rec: (payload: unknown) => void order.push(payload as string) };
    const { queue } = await startEngine({ handlers, concurrency: 1, start: false });
    const past = (ms: number) => new Date(Date.now() - ms).toISOString();
    await queue.enqueueMany([
      { type: "rec", payload: "low", priority: -5 },
      { type: "rec", payload: "mid-newer", priority: 0 },
      { type: "rec", payload: "high", priority: 10 },
      { type: "rec", payload: "mid-earlier-run-at", priority: 0, run_at: past(1000) },
      { type: "rec", payload: "mid-newest" },
    ]);
    const all = completions(queue, 5);
    await queue.start();
    await all;
    expect(order).toEqual(["high", "mid-earlier-run-at", "mid-newer", "mid-newest", "low"]);
  });

  test("delayed jobs start at their run_at, in run_at order, without polling", async () => {
    const started: { name: string; at: number; runAt: number }[] = [];
    const handlers: Record<string, JobHandler> = {
      rec: (payload, ctx) =>
        void started.push({ name: payload as string, at: Date.now(), runAt: Date.parse(ctx.job.run_at) }),
    };
    const { queue } = await startEngine({ handlers });
    const all = completions(queue, 3);
    await queue.enqueue({ type: "rec", payload: "late", delay_ms: 120 });
    await queue.enqueue({ type: "rec", payload: "soon", delay_ms: 40 });
    await queue.enqueue({ type: "rec", payload: "now" });
    await all;
    expect(started.map((s) => s.name)).toEqual(["now", "soon", "late"]);
    for (const s of started) expect(s.at).toBeGreaterThanOrEqual(s.runAt);
  });

  test("with an injected clock, a delayed job waits until the clock reaches its run_at", async () => {
    let now = Date.UTC(2026, 0, 1);
    const clock = { now: () => now };
    const { queue } = await startEngine({ clock, handlers: { later: () => "ran" } });
    const { job } = await queue.enqueue({ type: "later", delay_ms: 3_600_000 });
    queue.wake();
    await new Promise((r) => setTimeout(r, 30));
    expect((await queue.get(job.id)).status).toBe("queued");
    now += 3_600_000;
    queue.wake();
    expect(await settled(queue, job.id)).toMatchObject({ status: "completed", startedAt: now });
  });

  test("never runs more than `concurrency` handlers at once, and claims in batches", async () => {
    const gate = deferred();
    const full = deferred();
    let running = 0;
    let peak = 0;
    const handlers = {
      hold: async () => {
        running++;
        peak = Math.max(peak, running);
        if (running === 3) full.resolve();
        await gate.promise;
        running--;
      },
    };
    const { queue } = await startEngine({ handlers, concurrency: 3 });
    const all = completions(queue, 8);
    await queue.enqueueMany(Array.from({ length: 8 }, () => ({ type: "hold" })));
    await full.promise;
    await new Promise((r) => setTimeout(r, 20)); // room for a wrong fourth start to show
    expect([queue.running, running]).toEqual([3, 3]);
    gate.resolve();
    await all;
    expect(peak).toBe(3);
  });

  test("per-queue limits hold within the server-wide limit", async () => {
    const gate = deferred();
    const full = deferred();
    const running = new Map<string, number>();
    const peaks = new Map<string, number>();
    const handlers: Record<string, JobHandler> = {
      hold: async (_p, ctx) => {
        const q = ctx.job.queue;
        running.set(q, (running.get(q) ?? 0) + 1);
        peaks.set(q, Math.max(peaks.get(q) ?? 0, running.get(q) ?? 0));
        if ((running.get("slow") ?? 0) + (running.get("fast") ?? 0) === 4) full.resolve();
        await gate.promise;
        running.set(q, (running.get(q) ?? 1) - 1);
      },
    };
    const { queue } = await startEngine({ handlers, concurrency: 4, queueConcurrency: { slow: 1 } });
    const all = completions(queue, 10);
    await queue.enqueueMany([
      ...Array.from({ length: 5 }, () => ({ type: "hold", queue: "slow" })),
      ...Array.from({ length: 5 }, () => ({ type: "hold", queue: "fast" })),
    ]);
    await full.promise;
    expect(running.get("slow")).toBe(1);
    expect(running.get("fast")).toBe(3);
    gate.resolve();
    await all;
    expect(peaks.get("slow")).toBe(1);
  });

  test("jobs of a type without a local handler stay queued for remote workers", async () => {
    const { queue } = await startEngine({ handlers: { local: () => "ok" } });
    const { job: remote } = await queue.enqueue({ type: "remote.only" });
    const { job: local } = await queue.enqueue({ type: "local" });
    await settled(queue, local.id);
    expect((await queue.get(remote.id)).status).toBe("queued");
    const leased = await queue.lease({ workerId: "w1", maxJobs: 5, leaseMs: 10_000, waitMs: 0 });
    expect(leased.map((j) => j.id)).toEqual([remote.id]);
  });

  test("draining sync handlers on the memory store still lets timers (and HTTP) run", async () => {
    const { queue } = await startEngine({ handlers: { noop: () => null }, concurrency: 10, start: false });
    await queue.enqueueMany(Array.from({ length: 5_000 }, () => ({ type: "noop" })));
    const all = completions(queue, 5_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await queue.start();
    await all;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });

  test("10,000 jobs through concurrency 50: each runs once, never twice at a time, none left", async () => {
    const running = new Set<string>();
    const runs = new Map<string, number>();
    let overlaps = 0;
    let peak = 0;
    const handlers = {
      noop: async (_p: unknown, ctx: { job: { id: string } }) => {
        if (running.has(ctx.job.id)) overlaps++;
        running.add(ctx.job.id);
        peak = Math.max(peak, running.size);
        runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1);
        await new Promise((r) => setImmediate(r));
        running.delete(ctx.job.id);
      },
    };
    const { queue } = await startEngine({ handlers, concurrency: 50 });
    const all = completions(queue, 10_000);
    for (let i = 0; i < 10; i++)
      await queue.enqueueMany(Array.from({ length: 1000 }, () => ({ type: "noop" })));
    await all;
    expect(overlaps).toBe(0);
    expect(peak).toBeLessThanOrEqual(50);
    expect(runs.size).toBe(10_000);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const { counts } = await queue.stats();
    expect(counts).toMatchObject({ completed: 10_000, queued: 0, processing: 0 });
  });
});

/** Conformance: create, idempotency keys, createMany (all or none, input order). */
import { describe, expect, test } from "vitest";
import { DAY, makeJob, makeJobs, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

export function insertTests(ctx: StoreContext): void {
  describe("create", () => {
    test("stores a new job and returns it as stored", async () => {
      const job = makeJob({ payload: { to: "a@b.c" }, priority: 5 });
      const result = await ctx.store.create(job);
      expect(result).toEqual({ job, created: true });
      expect(await ctx.store.get(job.id)).toEqual(job);
    });

    test("an idempotency key already stored returns that job unchanged", async () => {
      const first = makeJob({ idempotencyKey: "order-1", payload: 1 });
      await ctx.store.create(first);
      const again = await ctx.store.create(makeJob({ idempotencyKey: "order-1", payload: 2, type: "other" }));
      expect(again).toEqual({ job: first, created: false });
      expect((await ctx.store.counts()).counts.queued).toBe(1);
    });

    test("concurrent creates with one idempotency key store exactly one job", async () => {
      const jobs = makeJobs(10, () => ({ idempotencyKey: "race" }));
      const results = await Promise.all(jobs.map((job) => ctx.store.create(job)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
      expect((await ctx.store.list()).map((j) => j.id)).toEqual([results[0]?.job.id]);
    });

    test("a deleted job frees its idempotency key", async () => {
      const first = makeJob({ idempotencyKey: "k" });
      await ctx.store.create(first);
      await ctx.store.delete(first.id);
      const second = makeJob({ idempotencyKey: "k" });
      expect(await ctx.store.create(second)).toEqual({ job: second, created: true });
    });

    test("a pruned job frees its idempotency key", async () => {
      const old = makeJob({ status: "completed", idempotencyKey: "k", finishedAt: T0 - 40 * DAY });
      await ctx.store.save(old);
      expect(await ctx.store.cleanup(T0 - 30 * DAY)).toBe(1);
      expect((await ctx.store.create(makeJob({ idempotencyKey: "k" }))).created).toBe(true);
    });

    test("a job id that is already stored is refused and the stored job kept", async () => {
      const job = makeJob({ payload: "original" });
      await ctx.store.create(job);
      await expect(ctx.store.create({ ...job, payload: "copy" })).rejects.toThrow();
      expect(await ctx.store.get(job.id)).toEqual(job);
    });
  });

  describe("createMany", () => {
    test("stores every job and answers in input order", async () => {
      const jobs = makeJobs(5, (i) => ({ priority: 5 - i, payload: { i } }));
      const results = await ctx.store.createMany(jobs);
      expect(results).toEqual(jobs.map((job) => ({ job, created: true })));
      expect(await ctx.store.list()).toEqual(jobs);
    });

    test("jobs whose keys are stored come back as the stored jobs, in place", async () => {
      const stored = makeJob({ idempotencyKey: "a" });
      await ctx.store.create(stored);
      const batch = [makeJob(), makeJob({ idempotencyKey: "a" }), makeJob({ idempotencyKey: "b" })];
      const results = await ctx.store.createMany(batch);
      expect(results.map((r) => r.created)).toEqual([true, false, true]);
      expect(results[1]?.job).toEqual(stored);
      expect(results[2]?.job).toEqual(batch[2]);
      expect((await ctx.store.counts()).counts.queued).toBe(3);
    });

    test("all or none: a batch with one bad job stores nothing", async () => {
      const existing = makeJob();
      await ctx.store.create(existing);
      const batch = [
        makeJob({ idempotencyKey: "new" }),
        makeJob(),
        { ...existing, payload: "dup" },
        makeJob(),
      ];
      await expect(ctx.store.createMany(batch)).rejects.toThrow();
      expect(await ctx.store.list()).toEqual([existing]);
      expect((await ctx.store.create(makeJob({ idempotencyKey: "new" }))).created).toBe(true);
    });

    test("a batch of 2,000 jobs is stored whole", async () => {
      const jobs = makeJobs(2000, (i) => ({ queue: `q${i % 4}` }));
      await ctx.store.createMany(jobs);
      const { counts, queues } = await ctx.store.counts();
      expect(counts.queued).toBe(2000);
      expect(queues.q3?.queued).toBe(500);
    });

    test("an empty batch stores nothing", async () => {
      expect(await ctx.store.createMany([])).toEqual([]);
      expect(await ctx.store.list()).toEqual([]);
    });
  });
}

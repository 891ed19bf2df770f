/** Conformance: counts by status and by queue. */
import { describe, expect, test } from "vitest";
import { cancel } from "../../../src/domain/transitions.js";
import { makeJob, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

const zero = { queued: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };

export function countsTests(ctx: StoreContext): void {
  describe("counts", () => {
    test("an empty store counts zero of every status and no queue", async () => {
      expect(await ctx.store.counts()).toEqual({ counts: zero, queues: {} });
    });

    test("counts every status overall and per queue, and follows changes", async () => {
      const a = makeJob({ queue: "a" });
      await ctx.store.create(a);
      await ctx.store.save(makeJob({ queue: "a", status: "processing" }));
      await ctx.store.save(makeJob({ queue: "b", status: "failed" }));
      await ctx.store.save(makeJob({ queue: "b", status: "completed" }));
      expect(await ctx.store.counts()).toEqual({
        counts: { ...zero, queued: 1, processing: 1, failed: 1, completed: 1 },
        queues: { a: { ...zero, queued: 1, processing: 1 }, b: { ...zero, failed: 1, completed: 1 } },
      });
      await ctx.store.update(a.id, (job) => cancel(job, T0 + 1));
      expect((await ctx.store.counts()).queues.a).toEqual({ ...zero, cancelled: 1, processing: 1 });
    });

    test("a queue whose last job is deleted is no longer listed", async () => {
      const job = makeJob({ queue: "gone" });
      await ctx.store.create(job);
      await ctx.store.delete(job.id);
      expect(await ctx.store.counts()).toEqual({ counts: zero, queues: {} });
    });
  });
}

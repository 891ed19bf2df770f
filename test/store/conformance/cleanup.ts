/** Conformance: PERSIST-010 cleanup of old finished jobs; queued and processing jobs are never pruned. */
import { describe, expect, test } from "vitest";
import { DAY, makeJob, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

export function cleanupTests(ctx: StoreContext): void {
  describe("cleanup", () => {
    test("PERSIST-010 deletes finished jobs that finished before the cut-off, keeps the rest", async () => {
      const cutoff = T0 - 30 * DAY;
      const old = (["completed", "failed", "cancelled"] as const).map((status) =>
        makeJob({ status, createdAt: cutoff - 2 * DAY, finishedAt: cutoff - 1 }),
      );
      const recent = makeJob({ status: "completed", createdAt: cutoff - 2 * DAY, finishedAt: cutoff });
      for (const job of [...old, recent]) await ctx.store.save(job);
      expect(await ctx.store.cleanup(cutoff)).toBe(3);
      expect(await ctx.store.list()).toEqual([recent]);
    });

    test("PERSIST-010 never prunes queued or processing jobs, however old", async () => {
      const ancient = T0 - 365 * DAY;
      const queued = makeJob({ createdAt: ancient });
      const processing = makeJob({ status: "processing", createdAt: ancient, leaseExpiresAt: ancient });
      await ctx.store.save(queued);
      await ctx.store.save(processing);
      expect(await ctx.store.cleanup(T0 + DAY)).toBe(0);
      expect(await ctx.store.list()).toEqual([queued, processing]);
    });

    test("PERSIST-010 a cut-off of now prunes every job finished before now", async () => {
      for (let i = 0; i < 50; i++) await ctx.store.save(makeJob({ status: "completed", finishedAt: T0 - i }));
      expect(await ctx.store.cleanup(T0 + 1)).toBe(50);
      expect((await ctx.store.counts()).counts.completed).toBe(0);
    });
  });
}

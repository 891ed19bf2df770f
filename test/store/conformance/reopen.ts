/**
 * Conformance: PERSIST-008/009 — for persistent stores, what was acknowledged before `close` is read
 * back identical after reopening, and the indexes (keys, claim order, counts) are rebuilt with it.
 */
import { describe, expect, test } from "vitest";
import { complete } from "../../../src/domain/transitions.js";
import { DAY, makeJob, makeJobs, SECOND, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";
import { fullJob } from "./spec-methods.js";

export function reopenTests(ctx: StoreContext): void {
  describe("close and reopen", () => {
    test("PERSIST-008/009 jobs in every state come back identical after reopening", async (t) => {
      const jobs = [
        fullJob(),
        fullJob({
          idempotencyKey: null,
          status: "queued",
          workerId: null,
          leaseExpiresAt: null,
          leaseMs: null,
        }),
        ...(["completed", "failed", "cancelled"] as const).map((status) =>
          makeJob({ status, result: { status } }),
        ),
      ];
      await ctx.store.createMany(makeJobs(100, (i) => ({ createdAt: T0 - i })));
      for (const job of jobs) await ctx.store.save(job);
      const deleted = makeJob();
      await ctx.store.create(deleted);
      await ctx.store.delete(deleted.id);
      const before = { list: await ctx.store.list(), counts: await ctx.store.counts() };
      const reopened = await ctx.reopen(t);
      expect(await reopened.list()).toEqual(before.list);
      expect(await reopened.counts()).toEqual(before.counts);
      expect(await reopened.get(deleted.id)).toBeNull();
    });

    test("PERSIST-009 idempotency keys, claim order and transitions work after reopening", async (t) => {
      const keyed = makeJob({ idempotencyKey: "k1", priority: 1 });
      await ctx.store.createMany([keyed, makeJob({ runAt: T0 + DAY })]);
      const reopened = await ctx.reopen(t);
      expect((await reopened.create(makeJob({ idempotencyKey: "k1" }))).job).toEqual(keyed);
      const [claimed] = await reopened.claim({ workerId: "w", now: T0, limit: 5, leaseMs: 10 * SECOND });
      expect(claimed?.id).toBe(keyed.id);
      expect(await reopened.nextRunAt({})).toBe(T0 + DAY);
      await reopened.update(keyed.id, (j) =>
        complete(j, { workerId: "w", attempt: 1 }, { now: T0 + 1, result: 7 }),
      );
      const again = await ctx.reopen(t);
      expect(await again.get(keyed.id)).toMatchObject({ status: "completed", result: 7 });
    });

    test("close twice is safe, and a closed store refuses work", async () => {
      await ctx.store.close();
      await ctx.store.close();
      await expect(ctx.store.get(makeJob().id)).rejects.toThrow();
    });
  });
}

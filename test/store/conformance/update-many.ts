/**
 * Conformance: `updateMany` — the expired-lease scan, retry of failed jobs by filter, and all or none.
 */
import { describe, expect, test } from "vitest";
import { expireLease, manualRetry, retryFailedOnStartup } from "../../../src/domain/transitions.js";
import { HOUR, makeJob, SECOND, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

export function updateManyTests(ctx: StoreContext): void {
  describe("updateMany", () => {
    test("the expired-lease scan finds only processing jobs whose lease ended", async () => {
      const expired = makeJob({ status: "processing", leaseExpiresAt: T0 - HOUR });
      const endsNow = makeJob({ status: "processing", leaseExpiresAt: T0 });
      const valid = makeJob({ status: "processing", leaseExpiresAt: T0 + SECOND });
      const queued = makeJob({ leaseExpiresAt: null, runAt: T0 - HOUR });
      for (const job of [expired, endsNow, valid, queued]) await ctx.store.save(job);
      const changed = await ctx.store.updateMany({ leaseExpiresBefore: T0 }, (job) =>
        expireLease(job, { now: T0, random: () => 0.5 }),
      );
      expect(changed.map((j) => j.id).sort()).toEqual([expired.id, endsNow.id].sort());
      expect(changed.every((j) => j.status === "queued" && j.error === "lease expired")).toBe(true);
      expect(await ctx.store.get(valid.id)).toEqual(valid);
      expect(await ctx.store.get(queued.id)).toEqual(queued);
    });

    test("retry of failed jobs by type and queue touches only those", async () => {
      const mail = makeJob({ status: "failed", type: "mail", queue: "q1" });
      const mailOtherQueue = makeJob({ status: "failed", type: "mail", queue: "q2" });
      const pdf = makeJob({ status: "failed", type: "pdf", queue: "q1" });
      const done = makeJob({ status: "completed", type: "mail", queue: "q1" });
      for (const job of [mail, mailOtherQueue, pdf, done]) await ctx.store.save(job);
      const retried = await ctx.store.updateMany(
        { status: ["failed"], type: ["mail"], queue: ["q1"] },
        (job) => manualRetry(job, T0 + 1),
      );
      expect(retried).toEqual([manualRetry(mail, T0 + 1)]);
      expect(await ctx.store.get(mail.id)).toEqual(retried[0]);
      expect((await ctx.store.counts()).counts).toMatchObject({ failed: 2, queued: 1, completed: 1 });
    });

    test("a transition returning null leaves that job alone", async () => {
      const young = makeJob({ status: "failed", attempts: 1 });
      const spent = makeJob({ status: "failed", attempts: 5 });
      await ctx.store.save(young);
      await ctx.store.save(spent);
      const changed = await ctx.store.updateMany({ status: ["failed"] }, (job) =>
        retryFailedOnStartup(job, 3, T0),
      );
      expect(changed.map((j) => j.id)).toEqual([young.id]);
      expect(await ctx.store.get(spent.id)).toEqual(spent);
    });

    test("all or none: a transition that throws on one job changes no job", async () => {
      const jobs = [
        makeJob({ status: "failed" }),
        makeJob({ status: "failed" }),
        makeJob({ status: "failed" }),
      ];
      for (const job of jobs) await ctx.store.save(job);
      const poisoned = jobs[1]?.id;
      await expect(
        ctx.store.updateMany({ status: ["failed"] }, (job) => {
          if (job.id === poisoned) throw new Error("refused");
          return manualRetry(job, T0);
        }),
      ).rejects.toThrow("refused");
      expect(await ctx.store.list()).toEqual(jobs);
    });

    test("a status list selects every listed status", async () => {
      const statuses = ["queued", "processing", "completed", "failed", "cancelled"] as const;
      for (const status of statuses) await ctx.store.save(makeJob({ status }));
      const seen: string[] = [];
      await ctx.store.updateMany({ status: ["failed", "cancelled"] }, (job) => {
        seen.push(job.status);
        return null;
      });
      expect(seen.sort()).toEqual(["cancelled", "failed"]);
    });
  });
}

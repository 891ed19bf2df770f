/** Conformance: claim (due-ness, order, filters, limits, concurrent claimers) and nextRunAt. */
import { describe, expect, test } from "vitest";
import type { Job } from "../../../src/domain/job.js";
import { failAttempt } from "../../../src/domain/transitions.js";
import type { ClaimRequest } from "../../../src/store/job-store.js";
import { HOUR, makeJob, makeJobs, SECOND, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

const LEASE = 30 * SECOND;
const request = (overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
  workerId: "w1",
  now: T0,
  limit: 1,
  leaseMs: LEASE,
  ...overrides,
});

export function claimTests(ctx: StoreContext): void {
  /** Claims one job at a time until none is due; returns their ids in claim order. */
  async function drain(overrides: Partial<ClaimRequest> = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let jobs = await ctx.store.claim(request(overrides)); jobs.length > 0; ) {
      ids.push(...jobs.map((j) => j.id));
      jobs = await ctx.store.claim(request(overrides));
    }
    return ids;
  }

  describe("claim", () => {
    test("a new run starts with no progress: an earlier attempt's is cleared, and stored so", async () => {
      const job = makeJob({ runAt: T0 - SECOND, attempts: 1, progress: 60, error: "boom" });
      await ctx.store.save(job);
      const [claimed] = await ctx.store.claim(request());
      expect(claimed).toMatchObject({ id: job.id, attempts: 2, progress: null });
      expect(await ctx.store.get(job.id)).toMatchObject({ progress: null, attempts: 2 });
    });

    test("leases a due job: processing, one more attempt, lease set, and stored so", async () => {
      const job = makeJob({ runAt: T0 - SECOND });
      await ctx.store.create(job);
      const [claimed] = await ctx.store.claim(request({ now: T0 + 5 }));
      expect(claimed).toEqual({
        ...job,
        status: "processing",
        attempts: 1,
        workerId: "w1",
        leaseMs: LEASE,
        leaseExpiresAt: T0 + 5 + LEASE,
        startedAt: T0 + 5,
        updatedAt: T0 + 5,
      });
      expect(await ctx.store.get(job.id)).toEqual(claimed);
    });

    test("a job is due at its runAt, not a millisecond before", async () => {
      const job = makeJob({ runAt: T0 + HOUR });
      await ctx.store.create(job);
      expect(await ctx.store.claim(request({ now: T0 + HOUR - 1 }))).toEqual([]);
      expect((await ctx.store.claim(request({ now: T0 + HOUR })))[0]?.id).toBe(job.id);
    });

    test("order: highest priority, then earliest runAt, then oldest", async () => {
      const [a, b, c, d, e] = makeJobs(5);
      const jobs = [
        { ...(e as Job), priority: 0, runAt: T0 - 1 },
        { ...(d as Job), priority: 0, runAt: T0 - 1 },
        { ...(c as Job), priority: 0, runAt: T0 - 2 },
        { ...(b as Job), priority: -5, runAt: T0 - HOUR },
        { ...(a as Job), priority: 10, runAt: T0 },
      ];
      await ctx.store.createMany(jobs);
      expect(await drain()).toEqual([a, c, d, e, b].map((j) => j?.id));
    });

    test("several jobs in one claim come in claim order, up to the limit", async () => {
      const jobs = makeJobs(10, (i) => ({ priority: i }));
      await ctx.store.createMany(jobs);
      const claimed = await ctx.store.claim(request({ limit: 4 }));
      expect(claimed.map((j) => j.priority)).toEqual([9, 8, 7, 6]);
      expect((await ctx.store.counts()).counts).toMatchObject({ queued: 6, processing: 4 });
    });

    test("only queued jobs are claimed", async () => {
      const statuses = ["processing", "completed", "failed", "cancelled"] as const;
      for (const status of statuses) await ctx.store.save(makeJob({ status, runAt: T0 - HOUR }));
      const queued = makeJob();
      await ctx.store.create(queued);
      expect((await ctx.store.claim(request({ limit: 10 }))).map((j) => j.id)).toEqual([queued.id]);
    });

    test("types and queues narrow what is claimed", async () => {
      const jobs = [
        makeJob({ type: "mail", queue: "fast" }),
        makeJob({ type: "mail", queue: "slow" }),
        makeJob({ type: "pdf", queue: "fast" }),
        makeJob({ type: "zip", queue: "slow" }),
      ];
      await ctx.store.createMany(jobs);
      const ids = (js: Job[]) => js.map((j) => j.id).sort();
      expect(ids(await ctx.store.claim(request({ limit: 9, types: ["mail"], queues: ["fast"] })))).toEqual(
        ids([jobs[0] as Job]),
      );
      expect(ids(await ctx.store.claim(request({ limit: 9, types: ["mail", "pdf"] })))).toEqual(
        ids([jobs[1] as Job, jobs[2] as Job]),
      );
      expect(await ctx.store.claim(request({ limit: 9, queues: ["fast"] }))).toEqual([]);
      expect(ids(await ctx.store.claim(request({ limit: 9, queues: ["slow", "other"] })))).toEqual(
        ids([jobs[3] as Job]),
      );
    });

    test("20 concurrent claimers over 500 jobs never share a job", async () => {
      await ctx.store.createMany(makeJobs(500, (i) => ({ priority: i % 5, queue: `q${i % 3}` })));
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) => ctx.store.claim(request({ workerId: `w${i}`, limit: 30 }))),
      );
      const claimed = claims.flat();
      expect(claimed).toHaveLength(500);
      expect(new Set(claimed.map((j) => j.id)).size).toBe(500);
      for (const job of claimed) expect((await ctx.store.get(job.id))?.workerId).toBe(job.workerId);
      expect((await ctx.store.counts()).counts.processing).toBe(500);
    });

    test("a job queued again after a failure is claimable once due, with its next attempt", async () => {
      await ctx.store.create(makeJob());
      const [claimed] = await ctx.store.claim(request());
      const retried = await ctx.store.update(claimed?.id as string, (job) =>
        failAttempt(job, { now: T0 + 1, error: "boom", random: () => 0.5 }),
      );
      expect(retried.status).toBe("queued");
      expect(await ctx.store.claim(request({ now: retried.runAt - 1 }))).toEqual([]);
      const [again] = await ctx.store.claim(request({ now: retried.runAt, workerId: "w2" }));
      expect(again).toMatchObject({ id: retried.id, attempts: 2, workerId: "w2", error: "boom" });
    });

    test("a saved change of priority or runAt is what the claim order sees", async () => {
      const [low, high] = makeJobs(2);
      await ctx.store.createMany([low as Job, { ...(high as Job), runAt: T0 + HOUR }]);
      await ctx.store.save({ ...(high as Job), priority: 5, runAt: T0 });
      await ctx.store.save({ ...(low as Job), runAt: T0 + HOUR });
      expect(await drain()).toEqual([high?.id]);
    });

    test("timeoutMs caps the lease", async () => {
      await ctx.store.create(makeJob({ timeoutMs: 5 * SECOND }));
      const [claimed] = await ctx.store.claim(request());
      expect(claimed?.leaseExpiresAt).toBe(T0 + 5 * SECOND);
    });
  });

  describe("nextRunAt", () => {
    test("is the earliest runAt of queued jobs of the given types and queues, else null", async () => {
      expect(await ctx.store.nextRunAt({})).toBeNull();
      await ctx.store.createMany([
        makeJob({ runAt: T0 + 3 * HOUR, type: "a" }),
        makeJob({ runAt: T0 + 2 * HOUR, type: "b", queue: "q2" }),
        makeJob({ runAt: T0 + HOUR, type: "a", queue: "q2" }),
      ]);
      await ctx.store.save(makeJob({ status: "processing", runAt: T0 }));
      expect(await ctx.store.nextRunAt({})).toBe(T0 + HOUR);
      expect(await ctx.store.nextRunAt({ type: ["b"] })).toBe(T0 + 2 * HOUR);
      expect(await ctx.store.nextRunAt({ queue: ["default"] })).toBe(T0 + 3 * HOUR);
      expect(await ctx.store.nextRunAt({ type: ["a"], queue: ["q2"] })).toBe(T0 + HOUR);
      expect(await ctx.store.nextRunAt({ type: ["none"] })).toBeNull();
    });

    test("follows claims: due jobs left behind still count, claimed ones do not", async () => {
      await ctx.store.createMany(makeJobs(3, (i) => ({ runAt: T0 + i, priority: i })));
      await ctx.store.claim(request({ now: T0 + 10 }));
      expect(await ctx.store.nextRunAt({})).toBe(T0);
      await ctx.store.claim(request({ now: T0 + 10, limit: 2 }));
      expect(await ctx.store.nextRunAt({})).toBeNull();
    });
  });
}

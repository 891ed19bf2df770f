/** Conformance: the seed spec's methods, PERSIST-001…007 (save, get, list, delete, getPending). */
import { describe, expect, test } from "vitest";
import { DEFAULT_PERSISTENCE_CONFIG, resolvePersistenceConfig } from "../../../src/config/persistence.js";
import type { Job } from "../../../src/domain/job.js";
import { makeJob, SECOND, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

/** A job with every field set to something other than its default. */
export function fullJob(overrides: Partial<Job> = {}): Job {
  return makeJob({
    type: "report.build:v2",
    queue: "reports",
    payload: { name: "Zoë ✓", nested: [1, 2.5, -3, true, null, { deep: '\u0000 \n "q"' }], big: 2 ** 53 - 1 },
    status: "processing",
    priority: -1000,
    attempts: 2,
    maxAttempts: 1000,
    runAt: T0 - 1,
    timeoutMs: 86_400_000,
    idempotencyKey: "ключ-1",
    progress: 12.5,
    result: { partial: ["a"] },
    error: "last: boom",
    workerId: "remote-7",
    leaseMs: 45 * SECOND,
    leaseExpiresAt: T0 + 45 * SECOND,
    createdAt: T0 - 10 * SECOND,
    updatedAt: T0 - 1,
    startedAt: T0 - 5,
    finishedAt: null,
    ...overrides,
  });
}

export function specMethodTests(ctx: StoreContext): void {
  describe("the spec's methods", () => {
    test("PERSIST-001 PersistenceConfig defaults are the spec's", () => {
      expect(DEFAULT_PERSISTENCE_CONFIG).toEqual({
        enabled: false,
        storagePath: "./data",
        backend: "json",
        autoSaveInterval: 30,
        retentionDays: 30,
      });
      expect(resolvePersistenceConfig({ enabled: true }).backend).toBe("json");
    });

    test("PERSIST-002 a new store is empty and declares what it promises", async () => {
      const { store } = ctx;
      expect(await store.list()).toEqual([]);
      expect(["memory", "json", "sqlite", "postgres"]).toContain(store.backend);
      expect(store.durability === "none").toBe(!store.capabilities.persistent);
    });

    test("PERSIST-003 save inserts a job with every field intact, and replaces it when saved again", async () => {
      const job = fullJob();
      await ctx.store.save(job);
      expect(await ctx.store.get(job.id)).toEqual(job);
      const changed = {
        ...job,
        status: "completed" as const,
        result: [1, "two"],
        finishedAt: T0,
        workerId: null,
      };
      await ctx.store.save(changed);
      expect(await ctx.store.list()).toEqual([changed]);
    });

    test("PERSIST-004 get returns the stored job, or null for an unknown id", async () => {
      const job = makeJob();
      await ctx.store.save(job);
      expect(await ctx.store.get(job.id)).toEqual(job);
      expect(await ctx.store.get(makeJob().id)).toBeNull();
    });

    test("PERSIST-004 a returned job is a copy: changing it changes nothing stored", async () => {
      const job = makeJob();
      await ctx.store.save(job);
      const copy = (await ctx.store.get(job.id)) as Job;
      copy.status = "failed";
      job.status = "cancelled";
      expect((await ctx.store.get(job.id))?.status).toBe("queued");
    });

    test("PERSIST-005 list returns every job, oldest first", async () => {
      const jobs = [2, 0, 1].map((n) => makeJob({ createdAt: T0 + n * SECOND }));
      for (const job of jobs) await ctx.store.save(job);
      expect(await ctx.store.list()).toEqual([jobs[1], jobs[2], jobs[0]]);
    });

    test("PERSIST-006 delete removes a job in any state and says whether it existed", async () => {
      const job = makeJob({ status: "processing" });
      await ctx.store.save(job);
      expect(await ctx.store.delete(job.id)).toBe(true);
      expect(await ctx.store.get(job.id)).toBeNull();
      expect(await ctx.store.delete(job.id)).toBe(false);
    });

    test("PERSIST-007 getPending returns the queued and processing jobs only", async () => {
      const queued = makeJob({ createdAt: T0, runAt: T0 + 60 * SECOND });
      const processing = makeJob({ status: "processing", createdAt: T0 + 1 });
      for (const status of ["completed", "failed", "cancelled"] as const)
        await ctx.store.save(makeJob({ status }));
      await ctx.store.save(queued);
      await ctx.store.save(processing);
      expect(await ctx.store.getPending()).toEqual([queued, processing]);
    });
  });
}

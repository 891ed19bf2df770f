/**
 * RecoveryManager on every persistent single-node backend: PERSIST-011 (startup recovery) and PERSIST-012
 * (processing jobs requeued), with exact counts, after a real close and reopen of the store.
 */
import { describe, expect, test } from "vitest";
import type { Clock } from "../../src/domain/clock.js";
import type { Job } from "../../src/domain/job.js";
import { ERROR_INTERRUPTED, ERROR_LEASE_EXPIRED } from "../../src/domain/transitions.js";
import { HandlerRegistry } from "../../src/queue/handlers.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { RecoveryManager } from "../../src/recovery/recovery-manager.js";
import type { JobStore } from "../../src/store/job-store.js";
import { deferred } from "../queue/engine-fixture.js";
import { DAY, makeJob, SECOND, T0 } from "../support/job-factory.js";
import { tempDir } from "../support/temp-dir.js";
import {
  openPersistentStore,
  PERSISTENT_BACKENDS,
  type PersistentBackend,
  unavailableReason,
} from "./persistent-stores.js";

const NOW = T0 + 40 * DAY;
const fixedClock = (t: number): Clock => ({ now: () => t });

/** Writes `jobs` with one store, closes it (the "previous server"), and reopens the directory. */
async function restartWith(backend: PersistentBackend, jobs: Job[]): Promise<JobStore> {
  const dir = tempDir(`recovery-${backend}`);
  const before = await openPersistentStore(backend, dir);
  for (const job of jobs) await before.save(job);
  await before.close();
  return openPersistentStore(backend, dir);
}

function recoveryFor(
  store: JobStore,
  options: { retryFailedOnStartup?: number; retentionDays?: number } = {},
) {
  const queue = new JobQueue({
    store,
    clock: fixedClock(NOW),
    handlers: new HandlerRegistry({ work: () => "done" }),
  });
  const manager = new RecoveryManager(store, queue, {
    retentionDays: options.retentionDays ?? 30,
    retryFailedOnStartup: options.retryFailedOnStartup,
    clock: fixedClock(NOW),
  });
  return { queue, manager };
}

for (const backend of PERSISTENT_BACKENDS) {
  describe(`RecoveryManager on ${backend}`, async () => {
    const reason = await unavailableReason(backend);
    if (reason) console.warn(`skipping: ${reason}`);

    test.skipIf(reason)("PERSIST-011 startup recovery: every state, exact counts", async () => {
      const recent = NOW - DAY;
      const jobs = {
        queued: makeJob({ type: "work", createdAt: NOW - 2 * DAY }),
        delayed: makeJob({ type: "work", runAt: NOW + DAY }),
        queuedRemote: makeJob({ type: "remote" }),
        interrupted: makeJob({
          status: "processing",
          workerId: "local:old",
          attempts: 1,
          leaseExpiresAt: NOW + 20 * SECOND,
        }),
        interruptedLast: makeJob({
          status: "processing",
          workerId: "local:old",
          attempts: 2,
          maxAttempts: 2,
          leaseExpiresAt: NOW + 20 * SECOND,
        }),
        remoteValid: makeJob({
          status: "processing",
          workerId: "remote-1",
          leaseExpiresAt: NOW + 60 * SECOND,
        }),
        remoteExpired: makeJob({ status: "processing", workerId: "remote-2", leaseExpiresAt: NOW - SECOND }),
        failedRetryable: makeJob({
          status: "failed",
          attempts: 1,
          maxAttempts: 1,
          error: "boom",
          finishedAt: recent,
        }),
        failedSpent: makeJob({ status: "failed", attempts: 3, error: "boom", finishedAt: recent }),
        completedOld: makeJob({ status: "completed", finishedAt: NOW - 31 * DAY }),
        cancelledOld: makeJob({ status: "cancelled", finishedAt: NOW - 31 * DAY }),
        completedRecent: makeJob({ status: "completed", finishedAt: recent }),
      };
      const store = await restartWith(backend, Object.values(jobs));
      const { queue, manager } = recoveryFor(store, { retryFailedOnStartup: 3 });

      const result = await manager.recoverOnStartup();

      // recovered: the 3 found queued; requeued: interrupted + expired lease; failed: the interrupted last
      // attempt, which retryFailed(3) then queues again (counted in both); pruned: the two old finished.
      expect(result).toEqual({ recovered: 3, requeued: 2, failed: 1, retried: 2, pruned: 2 });
      expect((await queue.stats()).recovery).toEqual(result);
      const get = async (job: Job) => (await store.get(job.id)) as Job;
      expect(await get(jobs.interrupted)).toMatchObject({
        status: "queued",
        attempts: 1,
        runAt: NOW,
        error: ERROR_INTERRUPTED,
        workerId: null,
      });
      expect(await get(jobs.interruptedLast)).toMatchObject({
        status: "queued",
        attempts: 2,
        maxAttempts: 3,
      });
      expect((await get(jobs.interruptedLast)).error).toContain("interrupted");
      const expired = await get(jobs.remoteExpired);
      expect(expired).toMatchObject({ status: "queued", error: ERROR_LEASE_EXPIRED });
      expect(expired.runAt).toBeGreaterThanOrEqual(NOW + 800);
      expect(await get(jobs.remoteValid)).toMatchObject({ status: "processing", workerId: "remote-1" });
      expect(await get(jobs.failedRetryable)).toMatchObject({
        status: "queued",
        attempts: 1,
        maxAttempts: 3,
      });
      expect(await get(jobs.failedSpent)).toMatchObject({ status: "failed" });
      expect(await store.get(jobs.completedOld.id)).toBeNull();
      expect(await store.get(jobs.cancelledOld.id)).toBeNull();
      expect(await get(jobs.completedRecent)).toMatchObject({ status: "completed" });
      expect(await get(jobs.delayed)).toMatchObject({ status: "queued", runAt: NOW + DAY });
      await store.close();
    });

    test.skipIf(reason)("PERSIST-012 processing jobs are requeued, then run to completion", async () => {
      const interrupted = Array.from({ length: 5 }, () =>
        makeJob({
          type: "work",
          status: "processing",
          workerId: "local:dead",
          attempts: 1,
          leaseExpiresAt: Date.now() + 30_000,
        }),
      );
      const store = await restartWith(backend, interrupted);
      const queue = new JobQueue({ store, handlers: new HandlerRegistry({ work: () => "done" }) });
      const manager = new RecoveryManager(store, queue, { retentionDays: 30 });
      const completed = new Promise<void>((resolve) => {
        let n = 0;
        queue.on("completed", () => ++n === interrupted.length && resolve());
      });
      expect(await manager.requeueProcessing()).toBe(5);
      expect((await store.counts()).counts).toMatchObject({ queued: 5, processing: 0 });
      await queue.start();
      await completed;
      for (const job of interrupted)
        expect(await store.get(job.id)).toMatchObject({ status: "completed", attempts: 2, result: "done" });
      await queue.shutdown(0);
      await store.close();
    });

    test.skipIf(reason)("requeueProcessing leaves this server's own running jobs alone", async () => {
      const store = await restartWith(backend, []);
      const running = deferred();
      const finish = deferred();
      const handlers = new HandlerRegistry({
        hold: () => {
          running.resolve();
          return finish.promise;
        },
      });
      const queue = new JobQueue({ store, handlers });
      const manager = new RecoveryManager(store, queue, { retentionDays: 30 });
      await queue.start();
      const { job } = await queue.enqueue({ type: "hold" });
      await running.promise;
      expect(await manager.requeueProcessing()).toBe(0);
      expect((await store.get(job.id))?.status).toBe("processing");
      finish.resolve();
      await queue.shutdown(5_000);
      expect((await store.get(job.id))?.status).toBe("completed");
      await store.close();
    });
  });
}

describe("RecoveryManager maintenance", () => {
  test("the reaper turns expired leases into counted failures, and only those", async () => {
    const dir = tempDir("reaper");
    const store = await openPersistentStore("sqlite", dir);
    let now = T0;
    const clock: Clock = { now: () => now };
    const queue = new JobQueue({ store, clock });
    const manager = new RecoveryManager(store, queue, { retentionDays: 30, clock });
    await store.save(
      makeJob({ status: "processing", workerId: "remote-1", leaseExpiresAt: T0 + 10 * SECOND, attempts: 3 }),
    );
    await store.save(
      makeJob({ status: "processing", workerId: "remote-2", leaseExpiresAt: T0 + 10 * SECOND, attempts: 1 }),
    );
    now = T0 + 5 * SECOND;
    expect(await manager.reapExpiredLeases()).toBe(0);
    now = T0 + 11 * SECOND;
    expect(await manager.reapExpiredLeases()).toBe(2);
    expect((await store.counts()).counts).toMatchObject({ failed: 1, queued: 1, processing: 0 });
    expect(queue.maintenanceTotals().reapedLeases).toBe(2);
    await store.close();
  });

  test("a running reaper reclaims a lease within 2 s of its expiry", async () => {
    const dir = tempDir("reaper-live");
    const store = await openPersistentStore("sqlite", dir);
    const queue = new JobQueue({ store });
    const manager = new RecoveryManager(store, queue, { retentionDays: 30 });
    await queue.enqueue({ type: "remote" });
    const [job] = await queue.lease({ workerId: "w", maxJobs: 1, leaseMs: 1_000, waitMs: 0 });
    const reaped = new Promise<Job>((resolve) => queue.on("retrying", resolve));
    manager.start();
    const back = await reaped;
    const lateBy = Date.now() - (job?.leaseExpiresAt ?? 0);
    expect(back).toMatchObject({ id: job?.id, status: "queued", error: ERROR_LEASE_EXPIRED });
    expect(lateBy).toBeLessThan(2_000);
    await manager.stop();
    await manager.stop();
    await store.close();
  });

  test("retentionDays 0 prunes every finished job, never queued or processing ones", async () => {
    const store = await openPersistentStore("sqlite", tempDir("prune"));
    const { manager } = recoveryFor(store, { retentionDays: 0 });
    for (const status of ["completed", "failed", "cancelled", "queued", "processing"] as const)
      await store.save(
        makeJob({ status, finishedAt: status === "queued" || status === "processing" ? null : NOW }),
      );
    expect(await manager.cleanup()).toBe(3);
    expect((await store.counts()).counts).toMatchObject({ queued: 1, processing: 1, completed: 0 });
    await store.close();
  });
});

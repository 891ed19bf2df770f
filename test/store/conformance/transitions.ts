/**
 * Conformance: `update` applies domain transitions atomically; a write from a lease that moved on
 * (wrong worker, wrong attempt, expired, cancelled meanwhile) is refused with `conflict` and changes nothing.
 */
import { describe, expect, test } from "vitest";
import type { Job } from "../../../src/domain/job.js";
import {
  assertDeletable,
  cancel,
  complete,
  expireLease,
  fail,
  heartbeat,
  manualRetry,
  releaseOnShutdown,
} from "../../../src/domain/transitions.js";
import { HOUR, makeJob, SECOND, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

const LEASE = 30 * SECOND;

export function transitionTests(ctx: StoreContext): void {
  /** Creates a job and claims it for `workerId` at T0. */
  async function leased(workerId = "w1", overrides: Partial<Job> = {}): Promise<Job> {
    await ctx.store.create(makeJob(overrides));
    const [job] = await ctx.store.claim({ workerId, now: T0, limit: 1, leaseMs: LEASE });
    if (!job) throw new Error("nothing was claimed");
    return job;
  }

  /** Asserts that `attempt` is refused with `conflict` and leaves the job exactly as it was. */
  async function expectRefused(id: string, attempt: () => Promise<unknown>): Promise<void> {
    const before = await ctx.store.get(id);
    await expect(attempt()).rejects.toMatchObject({ code: "conflict" });
    expect(await ctx.store.get(id)).toEqual(before);
  }

  describe("update", () => {
    test("complete by the lease holder finishes the job", async () => {
      const job = await leased();
      const lease = { workerId: "w1", attempt: 1 };
      const done = await ctx.store.update(job.id, (j) =>
        complete(j, lease, { now: T0 + 5, result: { ok: 1 } }),
      );
      expect(done).toMatchObject({
        status: "completed",
        result: { ok: 1 },
        finishedAt: T0 + 5,
        workerId: null,
      });
      expect(await ctx.store.get(job.id)).toEqual(done);
    });

    test("fail queues again with backoff while attempts remain, then fails for good", async () => {
      const job = await leased("w1", { maxAttempts: 1 });
      const failed = await ctx.store.update(job.id, (j) =>
        fail(j, { workerId: "w1", attempt: 1 }, { now: T0 + 1, error: "boom" }),
      );
      expect(failed).toMatchObject({ status: "failed", error: "boom", finishedAt: T0 + 1 });
      const other = await leased("w2");
      const retried = await ctx.store.update(other.id, (j) =>
        fail(j, { workerId: "w2", attempt: 1 }, { now: T0 + 1, error: "again", random: () => 0.5 }),
      );
      expect(retried).toMatchObject({
        status: "queued",
        runAt: T0 + 1 + SECOND,
        error: "again",
        attempts: 1,
      });
    });

    test("heartbeat extends the lease and records progress", async () => {
      const job = await leased();
      const beat = await ctx.store.update(job.id, (j) =>
        heartbeat(j, { workerId: "w1", attempt: 1 }, { now: T0 + 10 * SECOND, progress: 40 }),
      );
      expect(beat).toMatchObject({ leaseExpiresAt: T0 + 40 * SECOND, progress: 40 });
      expect(await ctx.store.get(job.id)).toEqual(beat);
    });

    test("a write from another worker or another attempt is refused; the job is unchanged", async () => {
      const job = await leased();
      const done = (workerId: string, attempt: number) =>
        ctx.store.update(job.id, (j) => complete(j, { workerId, attempt }, { now: T0 + 1, result: null }));
      await expectRefused(job.id, () => done("w2", 1));
      await expectRefused(job.id, () => done("w1", 2));
    });

    test("a write after the lease expired is refused; the job is unchanged", async () => {
      const job = await leased();
      await expectRefused(job.id, () =>
        ctx.store.update(job.id, (j) =>
          complete(j, { workerId: "w1", attempt: 1 }, { now: T0 + LEASE, result: 1 }),
        ),
      );
    });

    test("the holder of a lease that expired and was re-leased is refused (fencing)", async () => {
      const job = await leased("w1");
      await ctx.store.update(job.id, (j) => expireLease(j, { now: T0 + LEASE, random: () => 0.5 }));
      const later = T0 + HOUR;
      const [again] = await ctx.store.claim({ workerId: "w2", now: later, limit: 1, leaseMs: LEASE });
      expect(again).toMatchObject({ id: job.id, attempts: 2, workerId: "w2" });
      await expectRefused(job.id, () =>
        ctx.store.update(job.id, (j) =>
          complete(j, { workerId: "w1", attempt: 1 }, { now: later, result: 1 }),
        ),
      );
      await expectRefused(job.id, () =>
        ctx.store.update(job.id, (j) => heartbeat(j, { workerId: "w1", attempt: 1 }, { now: later })),
      );
    });

    test("a job cancelled while leased refuses its worker's heartbeat", async () => {
      const job = await leased();
      expect((await ctx.store.update(job.id, (j) => cancel(j, T0 + 1))).status).toBe("cancelled");
      await expectRefused(job.id, () =>
        ctx.store.update(job.id, (j) => heartbeat(j, { workerId: "w1", attempt: 1 }, { now: T0 + 2 })),
      );
    });

    test("two completes racing for one lease: exactly one wins", async () => {
      const job = await leased();
      const lease = { workerId: "w1", attempt: 1 };
      const outcomes = await Promise.allSettled(
        [1, 2].map((n) => ctx.store.update(job.id, (j) => complete(j, lease, { now: T0 + n, result: n }))),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    });

    test("updates issued together are answered one by one: a stale lease or an unknown id fails alone", async () => {
      await ctx.store.createMany([makeJob(), makeJob(), makeJob()]);
      const [a, b, c] = await ctx.store.claim({ workerId: "w1", now: T0, limit: 3, leaseMs: LEASE });
      if (!a || !b || !c) throw new Error("three jobs were not claimed");
      const held = { workerId: "w1", attempt: 1 };
      const done = (id: string, lease = held) =>
        ctx.store.update(id, (j) => complete(j, lease, { now: T0 + 2, result: id }));
      const outcomes = await Promise.allSettled([
        done(a.id),
        done(b.id, { workerId: "w1", attempt: 2 }),
        done(makeJob().id),
        // Two updates of one job: the second sees the first's result.
        ctx.store.update(c.id, (j) => heartbeat(j, held, { now: T0 + 1, progress: 40 })),
        done(c.id),
      ]);
      expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value.status : o.reason.code))).toEqual([
        "completed",
        "conflict",
        "not_found",
        "processing",
        "completed",
      ]);
      expect(await ctx.store.get(a.id)).toMatchObject({ status: "completed", result: a.id });
      expect(await ctx.store.get(b.id)).toEqual(b);
      expect(await ctx.store.get(c.id)).toMatchObject({ status: "completed", progress: 40, result: c.id });
    });

    test("cancel of a finished job is refused; manual retry queues it as new", async () => {
      const failed = makeJob({ status: "failed", attempts: 3, error: "boom" });
      await ctx.store.save(failed);
      await expectRefused(failed.id, () => ctx.store.update(failed.id, (j) => cancel(j, T0 + 1)));
      const retried = await ctx.store.update(failed.id, (j) => manualRetry(j, T0 + 2));
      expect(retried).toMatchObject({
        status: "queued",
        attempts: 0,
        runAt: T0 + 2,
        error: "boom",
        finishedAt: null,
      });
      expect((await ctx.store.claim({ workerId: "w", now: T0 + 2, limit: 1, leaseMs: LEASE }))[0]?.id).toBe(
        failed.id,
      );
    });

    test("a run released at shutdown does not count an attempt", async () => {
      const job = await leased();
      const released = await ctx.store.update(job.id, (j) =>
        releaseOnShutdown(j, { workerId: "w1", attempt: 1 }, T0 + 1),
      );
      expect(released).toMatchObject({ status: "queued", attempts: 0, workerId: null, leaseExpiresAt: null });
    });

    test("an unknown id is not_found", async () => {
      await expect(ctx.store.update(makeJob().id, (j) => cancel(j, T0))).rejects.toMatchObject({
        code: "not_found",
      });
    });
  });

  describe("remove", () => {
    test("deletes a job its guard accepts and returns it; the key is free again", async () => {
      const job = makeJob({ idempotencyKey: "remove-me" });
      await ctx.store.create(job);
      expect(await ctx.store.remove(job.id, assertDeletable)).toEqual(job);
      expect(await ctx.store.get(job.id)).toBeNull();
      expect((await ctx.store.create(makeJob({ idempotencyKey: "remove-me" }))).created).toBe(true);
    });

    test("a job the guard refuses stays exactly as it was", async () => {
      const job = await leased();
      await expectRefused(job.id, () => ctx.store.remove(job.id, assertDeletable));
    });

    test("an unknown id is not_found", async () => {
      await expect(ctx.store.remove(makeJob().id, assertDeletable)).rejects.toMatchObject({
        code: "not_found",
      });
    });
  });
}

/**
 * The engine on PostgreSQL, where several servers share one store (not `singleNode`): two nodes drain
 * one queue without running any job twice, and recovery leaves another node's valid in-process lease
 * alone — only the reaper takes it back, once it has expired.
 */
import pg from "pg";
import { afterAll, describe, expect, onTestFinished, test } from "vitest";
import type { Clock } from "../../src/domain/clock.js";
import type { Job } from "../../src/domain/job.js";
import { ERROR_LEASE_EXPIRED } from "../../src/domain/transitions.js";
import { HandlerRegistry } from "../../src/queue/handlers.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { RecoveryManager } from "../../src/recovery/recovery-manager.js";
import { PostgresJobStore } from "../../src/store/postgres/postgres-job-store.js";
import { backendSelected } from "../store/conformance/index.js";
import { makeJob, SECOND, T0 } from "../support/job-factory.js";

const DATABASE_URL =
  process.env.JOBD_TEST_DATABASE_URL ?? `postgres://${process.env.PGUSER ?? "postgres"}@127.0.0.1:5432/test`;
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
afterAll(() => admin.end());

/** `count` stores on one fresh schema, closed and dropped when the test ends. */
async function nodes(count: number): Promise<PostgresJobStore[]> {
  const schema = `jobd_engine_${process.pid}_${Date.now().toString(36)}`;
  const stores = await Promise.all(
    Array.from({ length: count }, () =>
      PostgresJobStore.open({ connectionString: DATABASE_URL, schema, poolSize: 4 }),
    ),
  );
  onTestFinished(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  return stores;
}

describe.skipIf(!backendSelected("postgres"))("the engine on PostgreSQL (several nodes)", () => {
  test("two nodes drain one queue; every job runs exactly once", async () => {
    const stores = await nodes(2);
    const runs = new Map<string, number>();
    const queues = stores.map(
      (store) =>
        new JobQueue({
          store,
          concurrency: 5,
          handlers: new HandlerRegistry({
            work: (_payload, ctx) => void runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1),
          }),
        }),
    );
    onTestFinished(() => Promise.all(queues.map((queue) => queue.shutdown(0))).then(() => {}));
    const done = new Promise<void>((resolve) => {
      let completed = 0;
      for (const queue of queues) queue.on("completed", () => ++completed === 200 && resolve());
    });
    for (const queue of queues) await queue.start();
    const [first] = queues;
    await first?.enqueueMany(Array.from({ length: 200 }, () => ({ type: "work" })));
    await done;
    expect(runs.size).toBe(200);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  test("recovery leaves another node's valid in-process lease alone; the reaper takes it after expiry", async () => {
    const [store] = await nodes(1);
    if (!store) throw new Error("no store");
    let now = T0;
    const clock: Clock = { now: () => now };
    const running = makeJob({
      status: "processing",
      workerId: "local:other-node",
      leaseExpiresAt: T0 + 30 * SECOND,
    });
    await store.save(running);
    const queue = new JobQueue({ store, clock });
    const manager = new RecoveryManager(store, queue, { retentionDays: 30, clock });
    expect(await manager.recoverOnStartup()).toEqual({
      recovered: 0,
      requeued: 0,
      failed: 0,
      retried: 0,
      pruned: 0,
    });
    expect((await store.get(running.id))?.status).toBe("processing");
    now = T0 + 31 * SECOND;
    expect(await manager.reapExpiredLeases()).toBe(1);
    expect(await store.get(running.id)).toMatchObject({
      status: "queued",
      error: ERROR_LEASE_EXPIRED,
    } satisfies Partial<Job>);
  });
});

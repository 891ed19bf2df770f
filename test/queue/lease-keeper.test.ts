/** The lease keeper: one round renews every held lease; a lease taken away is reported as lost. */
import pino from "pino";
import { describe, expect, test } from "vitest";
import { cancel } from "../../src/domain/transitions.js";
import { jobFromBody } from "../../src/queue/create-bodies.js";
import { LeaseKeeper } from "../../src/queue/lease-keeper.js";
import { MemoryJobStore } from "../../src/store/memory/memory-job-store.js";

const WORKER = "local:test";
const LEASE_MS = 30_000;

describe("LeaseKeeper", () => {
  test("renews every held lease (running or claimed ahead) and reports the ones taken away", async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const store = await MemoryJobStore.open();
    for (let i = 0; i < 3; i++) await store.create(jobFromBody({ type: "work" }, now, 1024));
    const claimed = await store.claim({ workerId: WORKER, now, limit: 3, leaseMs: LEASE_MS });
    const [kept, alsoKept, cancelled] = claimed.map((job) => job.id);
    const lost: string[] = [];
    const keeper = new LeaseKeeper({
      store,
      clock,
      log: pino({ enabled: false }),
      leaseMs: LEASE_MS,
      held: () => claimed.map((job) => ({ job, lease: { workerId: WORKER, attempt: job.attempts } })),
      lost: (id) => lost.push(id),
    });
    now += LEASE_MS / 3;
    await store.update(cancelled as string, (job) => cancel(job, now));
    await keeper.renewAll();
    for (const id of [kept, alsoKept])
      expect(await store.get(id as string)).toMatchObject({
        status: "processing",
        leaseExpiresAt: now + LEASE_MS,
      });
    expect(lost).toEqual([cancelled]);
    await keeper.stop();
    await store.close();
  });
});

/**
 * Claim prefetch (claim-buffer.ts): with fast handlers the dispatcher claims ahead of its free slots.
 * Claimed jobs that have not started still hold this server's lease; they never run beyond
 * `concurrency`, a cancel removes them, and a graceful shutdown puts them back uncounted.
 */
import { describe, expect, test } from "vitest";
import type { Clock } from "../../src/domain/clock.js";
import type { JsonValue } from "../../src/domain/job.js";
import { MAX_BUFFER_WAIT_MS } from "../../src/queue/claim-buffer.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { completions, deferred, startEngine } from "./engine-fixture.js";

const FAST = 400;
const BLOCKING = 200;

/**
 * An engine at concurrency 2 whose first FAST jobs return at once and whose next BLOCKING jobs wait for
 * `gate`: once two of those hold both slots, the dispatcher has claimed more of them ahead.
 */
async function blockedAfterFastRuns(clock?: Clock) {
  const gate = deferred();
  const bothBlocked = deferred();
  const ran = new Set<string>();
  let running = 0;
  let peak = 0;
  let blocked = 0;
  const { queue, store } = await startEngine({
    clock,
    concurrency: 2,
    handlers: {
      work: async (payload, ctx) => {
        ran.add(ctx.job.id);
        peak = Math.max(peak, ++running);
        try {
          if ((payload as { block: boolean }).block) {
            if (++blocked === 2) bothBlocked.resolve();
            await gate.promise;
          }
        } finally {
          running--;
        }
      },
    },
  });
  const body = (block: boolean) => ({ type: "work", payload: { block } as JsonValue });
  const created = await queue.enqueueMany([
    ...Array.from({ length: FAST }, () => body(false)),
    ...Array.from({ length: BLOCKING }, () => body(true)),
  ]);
  await bothBlocked.promise;
  return { queue, store, gate, ran, ids: created.map((r) => r.job.id), peak: () => peak };
}

const processing = async (queue: JobQueue) => (await queue.stats()).counts.processing;

describe("claim prefetch", () => {
  test("fast handlers make the dispatcher claim ahead, never running more than concurrency", async () => {
    const { queue, gate, ran, peak } = await blockedAfterFastRuns();
    expect(queue.running).toBe(2);
    expect(await processing(queue)).toBeGreaterThan(2); // claimed ahead, waiting for a slot
    expect(ran.size).toBe(FAST + 2);
    const all = completions(queue, BLOCKING);
    gate.resolve();
    await all;
    expect(ran.size).toBe(FAST + BLOCKING);
    expect(peak()).toBe(2);
  });

  test("a claimed job cancelled before it started never runs", async () => {
    // The engine's clock stands still, so no claimed job ever waits "too long" (MAX_BUFFER_WAIT_MS) and
    // goes back to queued before the cancel, however slow a loaded machine makes this test.
    const frozen = Date.now();
    const { queue, gate, ran, ids } = await blockedAfterFastRuns({ now: () => frozen });
    expect(await processing(queue)).toBeGreaterThan(2);
    // The claim order is the creation order here, so the first blocking job not started is buffered.
    const victim = ids.slice(FAST).find((id) => !ran.has(id)) as string;
    expect((await queue.get(victim)).status).toBe("processing");
    await queue.cancel(victim);
    const rest = completions(queue, BLOCKING - 1);
    gate.resolve();
    await rest;
    expect(ran.has(victim)).toBe(false);
    expect(await queue.get(victim)).toMatchObject({ status: "cancelled" });
  });

  test("shutdown puts claimed jobs that have not started back to queued, uncounted", async () => {
    const { queue, ran, ids } = await blockedAfterFastRuns();
    const claimedAhead = (await processing(queue)) - 2;
    expect(claimedAhead).toBeGreaterThan(0);
    await queue.shutdown(0);
    expect(ran.size).toBe(FAST + 2); // nothing started after the two that held the slots
    const stats = await queue.stats();
    expect(stats.counts).toMatchObject({ processing: 0, completed: FAST, queued: BLOCKING });
    const left = await Promise.all(ids.slice(FAST).map((id) => queue.get(id)));
    expect(left.every((job) => job.status === "queued" && job.attempts === 0 && job.workerId === null)).toBe(
      true,
    );
  });

  test("claimed jobs that wait too long (the handlers slowed down) go back to queued, uncounted", async () => {
    const { queue, gate, ran, ids } = await blockedAfterFastRuns();
    expect(await processing(queue)).toBeGreaterThan(2);
    await expect
      .poll(() => processing(queue), { interval: MAX_BUFFER_WAIT_MS / 4, timeout: 10 * MAX_BUFFER_WAIT_MS })
      .toBe(2); // only the two running; the slow pace claims nothing ahead again
    const waiting = await Promise.all(
      ids
        .slice(FAST)
        .filter((id) => !ran.has(id))
        .map((id) => queue.get(id)),
    );
    expect(waiting.every((job) => job.status === "queued" && job.attempts === 0)).toBe(true);
    const rest = completions(queue, BLOCKING);
    gate.resolve();
    await rest;
    expect(ran.size).toBe(FAST + BLOCKING);
  });
});

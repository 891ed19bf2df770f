/**
 * Asynchronous completion on the persistent stores: a finished handler frees its slot before its outcome
 * is durable, so the next run does not wait for the fsync. These tests hold the guarantees around that:
 * shutdown waits for every outcome to be durable, concurrency counts handlers, each job runs once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { HandlerRegistry } from "../../src/queue/handlers.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { openPersistentStore, PERSISTENT_BACKENDS } from "../recovery/persistent-stores.js";
import { completions, deferred } from "./engine-fixture.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(backend: string): string {
  const dir = mkdtempSync(join(tmpdir(), `jobd-outcomes-${backend}-`));
  dirs.push(dir);
  return dir;
}

describe.each(PERSISTENT_BACKENDS)("asynchronous completion on %s", (backend) => {
  test("shutdown resolves only once every finished run's outcome is durable", async () => {
    const dir = tempDir(backend);
    const store = await openPersistentStore(backend, dir);
    const jobs = 500;
    let handled = 0;
    const shutdownAsked = deferred<Promise<void>>();
    const queue = new JobQueue({
      store,
      concurrency: 10,
      handlers: new HandlerRegistry({
        work: () => {
          // The last handler asks for shutdown before its own outcome (and others) can be written.
          if (++handled === jobs) shutdownAsked.resolve(queue.shutdown(10_000));
          return handled;
        },
      }),
    });
    let durable = 0; // "completed" is announced once the store acknowledged the write
    queue.on("completed", () => durable++);
    await queue.enqueueMany(Array.from({ length: jobs }, () => ({ type: "work" })));
    await queue.start();
    await shutdownAsked.promise;
    expect(durable).toBe(jobs);
    await store.close();
    const reopened = await openPersistentStore(backend, dir);
    const { counts } = await reopened.counts();
    await reopened.close();
    expect(counts).toMatchObject({ completed: jobs, processing: 0, queued: 0 });
  });

  test("never more than `concurrency` handlers at once; each job runs once; commits carry many jobs", async () => {
    const store = await openPersistentStore(backend, tempDir(backend));
    const jobs = 3_000;
    const concurrency = 5;
    const runs = new Map<string, number>();
    let running = 0;
    let peak = 0;
    const queue = new JobQueue({
      store,
      concurrency,
      handlers: new HandlerRegistry({
        work: async (_payload, ctx) => {
          peak = Math.max(peak, ++running);
          runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1);
          await new Promise((resolve) => setImmediate(resolve)); // each run spans an event-loop turn
          running--;
        },
      }),
    });
    const all = completions(queue, jobs);
    await queue.enqueueMany(Array.from({ length: jobs }, () => ({ type: "work" })));
    const commitsBefore = (store as { commits?: number }).commits;
    await queue.start();
    await all;
    const commits = (store as { commits?: number }).commits;
    await queue.shutdown(0);
    await store.close();
    expect(peak).toBeLessThanOrEqual(concurrency);
    expect(runs.size).toBe(jobs);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // One commit per turn (each turn frees every slot) would be jobs / concurrency commits: claims in
    // batches and outcomes waiting for them make fewer (about half on an idle machine; a loaded one
    // stretches turns past the 5 ms outcome wait, hence the margin).
    if (commits !== undefined && commitsBefore !== undefined)
      expect(commits - commitsBefore).toBeLessThan((jobs / concurrency) * 0.75);
  });
});

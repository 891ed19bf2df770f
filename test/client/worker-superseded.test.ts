/**
 * work() and a job it is handed again while it still holds an earlier run of it. A manual retry sets
 * attempts back to 0, so the new lease carries the same (worker_id, attempt) as the cancelled run, and
 * the server cannot tell their reports apart: the worker itself must make the earlier run (running, or
 * leased ahead and waiting for a slot) abort and never report, so that only the new run does.
 *
 * The worker's prefetch depth is fixed here (PrefetchPace mocked: `prefetch.depth` jobs beyond the free
 * slots), so that a job is leased ahead exactly when a test wants it. The server runs no handlers, so
 * its own dispatcher, which shares PrefetchPace, claims nothing.
 */
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { SupersededError } from "../../src/client/index.js";
import { serverForFile } from "./in-process-server.js";
import { waitForJob } from "./wait-for-job.js";

const prefetch = vi.hoisted(() => ({ depth: 0 }));

vi.mock("../../src/queue/prefetch-pace.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/queue/prefetch-pace.js")>();
  class FixedPrefetchPace extends actual.PrefetchPace {
    override claimSize(free: number, ahead: number): number {
      return Math.max(0, free + prefetch.depth - ahead);
    }
  }
  return { ...actual, PrefetchPace: FixedPrefetchPace };
});

const shared = serverForFile();

/** One handler run: its payload, its signal, and a gate the test opens to let it return. */
interface Run {
  payload: unknown;
  signal: AbortSignal;
  release: () => void;
}

/**
 * A worker (long leases: no heartbeat tells a run of a cancel before the job is leased again) whose
 * handler runs block until released, deaf to their signal (a handler may not stop at once); each
 * returns `run <n>`, n counting the handler's runs from 1. `nth(n)` resolves when the n-th run has
 * started; `releaseAll()` releases every run, later ones included. Stopped when the test ends.
 */
function blockingWorker(type: string, concurrency: number) {
  const runs: Run[] = [];
  const errors: unknown[] = [];
  const waiters: (() => void)[] = [];
  let open = false;
  const handler = async (payload: unknown, ctx: { signal: AbortSignal }) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    if (open) release();
    runs.push({ payload, signal: ctx.signal, release });
    const number = runs.length;
    for (const wake of waiters.splice(0)) wake();
    await gate;
    return `run ${number}`;
  };
  const worker = shared.client.work(type, handler, {
    concurrency,
    waitMs: 1_000,
    leaseMs: 30_000,
    onError: (error) => errors.push(error),
  });
  const nth = async (n: number): Promise<Run> => {
    while (runs.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    return runs[n - 1] as Run;
  };
  const releaseAll = () => {
    open = true;
    for (const run of runs) run.release();
  };
  onTestFinished(async () => {
    releaseAll();
    await worker.stop();
  });
  return { worker, runs, errors, nth, releaseAll };
}

/** Resolves once `holds()` is true, checking every 10 ms. */
async function until(holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("work(): a job leased again while the worker holds an earlier run of it", () => {
  it("supersedes the running earlier run: its signal aborts, only the new run reports", async () => {
    prefetch.depth = 0;
    const { client } = shared;
    const { worker, runs, errors, nth } = blockingWorker("s.running", 2);
    const job = await client.create({ type: "s.running" });
    const first = await nth(1);
    expect((await client.get(job.id)).attempts).toBe(1);

    await client.cancel(job.id);
    await client.retry(job.id); // attempts = 0: the next lease is attempt 1 again, to the same worker_id
    const second = await nth(2);
    expect((await client.get(job.id)).attempts).toBe(1);

    first.release();
    await until(() => worker.active === 1); // the first run is over, and sent nothing
    expect(await client.get(job.id)).toMatchObject({ status: "processing", result: null });
    second.release();
    const done = await waitForJob(client, job.id, ["completed", "failed"]);
    await until(() => worker.active === 0);

    expect(done).toMatchObject({ status: "completed", result: "run 2", attempts: 1 });
    expect(first.signal.aborted).toBe(true);
    expect(first.signal.reason).toBeInstanceOf(SupersededError);
    expect(String(first.signal.reason.message)).toContain("superseded");
    expect(second.signal.aborted).toBe(false);
    expect(runs).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it("a run leased ahead and superseded while it waits for its slot never starts", async () => {
    prefetch.depth = 2; // one slot: the blocker runs, the job waits in hand, the next lease is open
    const { client } = shared;
    const [blocker, job] = await client.createMany([
      { type: "s.ahead", payload: "blocker" },
      { type: "s.ahead", payload: "job" },
    ]);
    if (!blocker || !job) throw new Error("createMany returned too few jobs");
    const { worker, runs, errors, nth, releaseAll } = blockingWorker("s.ahead", 1);
    const blocking = await nth(1);
    expect(blocking.payload).toBe("blocker");
    await until(() => worker.active === 2); // the job is leased ahead, waiting for the slot
    expect((await client.get(job.id)).status).toBe("processing");

    await client.cancel(job.id);
    await client.retry(job.id);
    await until(() => worker.active === 3); // leased again (attempt 1 again) while the first lease waits
    expect((await client.get(job.id)).attempts).toBe(1);

    blocking.release();
    const again = await nth(2);
    again.release();
    const done = await waitForJob(client, job.id, ["completed", "failed"]);
    releaseAll(); // before the fix, the job's second lease ran too (and blocked)
    await until(() => worker.active === 0);

    expect(done).toMatchObject({ status: "completed", result: "run 2", attempts: 1 });
    expect(runs.map((run) => run.payload)).toEqual(["blocker", "job"]); // the job ran once, not twice
    expect(again.signal.aborted).toBe(false);
    expect(errors).toEqual([]);
  });
});

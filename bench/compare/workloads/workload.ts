/** What a workload is: one measured run at a time, returning named figures, plus how to show them. */
import { type BenchSystem, makePayloads, type StoreRef } from "../adapter.js";
import { WorkerLink } from "../worker-link.js";

/** One figure a workload reports. */
export interface MetricSpec {
  key: string;
  label: string;
  unit: string;
  /** Which way is better, for ratios and the chart. */
  better: "higher" | "lower";
}

/** Job counts; `--quick` shrinks them. */
export interface WorkloadSizes {
  throughputJobs: number;
  singleEnqueues: number;
  drainJobs: number;
  recoveryJobs: number;
  /** W1/W3 stop waiting after this long and project the drain from the share done. */
  drainCapMs: number;
  /** The same for W4. */
  recoveryCapMs: number;
}

/**
 * The sample key that says which share of the jobs completed before the cap (1 = all). Below 1, the
 * run's drain figures are projected from the rate reached, and the report says so.
 */
export const COMPLETED_SHARE = "completedShare";

export interface Workload {
  id: string;
  title: string;
  /** One sentence on what is timed, for the report. */
  description(sizes: WorkloadSizes): string;
  /** The first metric is the one ratios and the chart use. */
  metrics: MetricSpec[];
  /** Why the workload does not apply to this system, else undefined. */
  notApplicable(system: BenchSystem): string | undefined;
  runOnce(system: BenchSystem, sizes: WorkloadSizes): Promise<Record<string, number>>;
}

/** Worker concurrency in every workload. */
export const WORKER_CONCURRENCY = 10;
/** The largest batch every bulk API here takes in one call (jobd's batch limit). */
const FILL_BATCH = 10_000;

/** Runs `body` on a fresh store and always removes it afterwards. */
export async function withFreshStore<T>(
  system: BenchSystem,
  body: (ref: StoreRef) => Promise<T>,
): Promise<T> {
  const ref = await system.reset();
  try {
    return await body(ref);
  } finally {
    await system.teardown(ref);
  }
}

/** Forks one worker process for `system` at WORKER_CONCURRENCY, done after `target` completions. */
export function spawnWorker(
  system: BenchSystem,
  ref: StoreRef,
  target: number,
  autostart: boolean,
): WorkerLink {
  return new WorkerLink({ systemId: system.id, ref, target, concurrency: WORKER_CONCURRENCY, autostart });
}

/** Pre-fills a store with `count` jobs through the bulk API (untimed setup for W3/W4). */
export async function fillStore(system: BenchSystem, ref: StoreRef, count: number): Promise<void> {
  const producer = await system.openProducer(ref);
  try {
    for (let from = 0; from < count; from += FILL_BATCH) {
      await producer.enqueueMany(makePayloads(Math.min(FILL_BATCH, count - from), from));
    }
  } finally {
    await producer.close();
  }
}

/**
 * Waits for the worker to drain, up to `capMs` after `since`. Past the cap, the drain time is projected
 * from the rate reached so far (`share` < 1), so one slow system cannot stretch the whole run.
 */
export async function awaitDrain(
  worker: WorkerLink,
  jobs: number,
  since: number,
  capMs: number,
): Promise<{ drainedAt: number; share: number }> {
  const drainedAt = await worker.drainedWithin(since, capMs);
  if (drainedAt !== undefined) return { drainedAt, share: 1 };
  const now = performance.now();
  const share = (await worker.completed()) / jobs;
  if (share === 0) throw new Error(`no job completed within ${capMs} ms`);
  return { drainedAt: since + (now - since) / share, share };
}

/**
 * The write workloads: creating jobs one by one (many in flight, as concurrent HTTP requests would)
 * and in batches, and claiming and completing them as a pool of workers would. Each returns its rate.
 */
import type { Job } from "../../src/domain/job.js";
import { complete } from "../../src/domain/transitions.js";
import type { JobStore } from "../../src/store/job-store.js";
import { quantile } from "../compare/stats.js";
import { benchJob } from "./jobs.js";

/** How fast a workload went, and (when the store counts them) how many transactions it committed. */
export interface Rate {
  ops: number;
  seconds: number;
  perSecond: number;
  /** Per-operation latency, for workloads that time each operation. */
  p50Ms?: number;
  p99Ms?: number;
  commits?: number;
  /** CPU time (user + system) of the process per operation: steadier than the rate on a busy machine. */
  cpuMicrosPerOp: number;
}

/** SqliteJobStore counts its commits; other stores don't. */
const commitsOf = (store: JobStore) => (store as { commits?: number }).commits;

async function measure(store: JobStore, ops: number, work: () => Promise<void>): Promise<Rate> {
  const commitsBefore = commitsOf(store);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const commitsAfter = commitsOf(store);
  const commits = commitsAfter === undefined ? undefined : commitsAfter - (commitsBefore ?? 0);
  return { ops, seconds, perSecond: ops / seconds, commits, cpuMicrosPerOp: (cpu.user + cpu.system) / ops };
}

/** Runs `lanes` async loops, each calling `step` until `step` returns false. */
async function inParallel(lanes: number, step: (lane: number) => Promise<boolean>): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (await step(lane)) {}
    }),
  );
}

/** `count` single creates with `inFlight` outstanding at any time. */
export async function createSingly(store: JobStore, count: number, inFlight: number): Promise<Rate> {
  const latencies: number[] = [];
  let next = 0;
  const rate = await measure(store, count, () =>
    inParallel(inFlight, async () => {
      if (next >= count) return false;
      const job = benchJob(next++);
      const start = performance.now();
      await store.create(job);
      latencies.push(performance.now() - start);
      return true;
    }),
  );
  return { ...rate, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
}

/** `count` creates in `createMany` batches of `batchSize`, one batch at a time. */
export function createBatched(store: JobStore, count: number, batchSize: number): Promise<Rate> {
  return measure(store, count, async () => {
    for (let done = 0; done < count; done += batchSize) {
      const size = Math.min(batchSize, count - done);
      await store.createMany(Array.from({ length: size }, (_, i) => benchJob(done + i)));
    }
  });
}

/** `workers` loops each claiming one job and completing it, until `count` jobs are completed. */
export function claimAndComplete(store: JobStore, count: number, workers: number): Promise<Rate> {
  let started = 0;
  return measure(store, count, () =>
    inParallel(workers, async (lane) => {
      if (started >= count) return false;
      started++;
      const workerId = `bench-worker-${lane}`;
      const [job] = await store.claim({ workerId, now: Date.now(), limit: 1, leaseMs: 60_000 });
      if (!job) throw new Error("the store ran out of queued jobs before the count was reached");
      await store.update(job.id, (current: Job) =>
        complete(current, { workerId, attempt: job.attempts }, { now: Date.now(), result: { ok: true } }),
      );
      return true;
    }),
  );
}

/**
 * W1: bulk-enqueue N jobs, drained by one worker process at concurrency 10 that was started (idle)
 * beforehand. Jobs/s is N over first enqueue → last completion.
 */
import { makePayloads } from "../adapter.js";
import {
  awaitDrain,
  COMPLETED_SHARE,
  spawnWorker,
  WORKER_CONCURRENCY,
  type Workload,
  withFreshStore,
} from "./workload.js";

/** W1: enqueue + drain throughput. */
export const throughputWorkload: Workload = {
  id: "W1",
  title: "W1 · bulk enqueue, then drain with one worker process",
  description: (sizes) =>
    `${sizes.throughputJobs.toLocaleString("en")} jobs enqueued with the bulk API while one idle worker ` +
    `process (concurrency ${WORKER_CONCURRENCY}, no-op handler) waits; timed from the first enqueue to the ` +
    `last completion.`,
  metrics: [
    { key: "jobsPerSec", label: "jobs/s", unit: "jobs/s", better: "higher" },
    { key: "enqueueMs", label: "enqueue", unit: "ms", better: "lower" },
    { key: "drainMs", label: "drain after enqueue", unit: "ms", better: "lower" },
  ],
  notApplicable: () => undefined,
  runOnce: (system, sizes) =>
    withFreshStore(system, async (ref) => {
      const jobs = sizes.throughputJobs;
      const worker = spawnWorker(system, ref, jobs, false);
      try {
        await worker.waitFor("ready");
        await worker.command({ cmd: "start" }, "started");
        const producer = system.enqueueInWorker ? undefined : await system.openProducer(ref);
        const payloads = makePayloads(jobs);
        const startedAt = performance.now();
        if (producer) await producer.enqueueMany(payloads);
        else await worker.command({ cmd: "enqueueMany", count: jobs }, "enqueued");
        const enqueuedAt = performance.now();
        const { drainedAt, share } = await awaitDrain(worker, jobs, startedAt, sizes.drainCapMs);
        await producer?.close();
        return {
          jobsPerSec: jobs / ((drainedAt - startedAt) / 1000),
          enqueueMs: enqueuedAt - startedAt,
          drainMs: Math.max(0, drainedAt - enqueuedAt),
          [COMPLETED_SHARE]: share,
        };
      } finally {
        await worker.stop();
      }
    }),
};

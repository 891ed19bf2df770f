/**
 * W3: N jobs already stored; a worker process (modules loaded, idle) is told to start. Timed from the
 * start command: first pickup, and jobs/s to the last completion. Starting includes opening the store.
 */
import {
  awaitDrain,
  COMPLETED_SHARE,
  fillStore,
  spawnWorker,
  WORKER_CONCURRENCY,
  type Workload,
  withFreshStore,
} from "./workload.js";

/** W3: drain a pre-filled store. */
export const drainWorkload: Workload = {
  id: "W3",
  title: "W3 · drain pre-enqueued jobs",
  description: (sizes) =>
    `${sizes.drainJobs.toLocaleString("en")} jobs already stored; one worker process (concurrency ` +
    `${WORKER_CONCURRENCY}) is told to start; timed from that command (opening the store included).`,
  metrics: [
    { key: "jobsPerSec", label: "jobs/s", unit: "jobs/s", better: "higher" },
    { key: "firstPickupMs", label: "first pickup", unit: "ms", better: "lower" },
  ],
  notApplicable: (system) =>
    system.survivesRestart ? undefined : "a memory store cannot be filled by another process",
  runOnce: (system, sizes) =>
    withFreshStore(system, async (ref) => {
      const jobs = sizes.drainJobs;
      await fillStore(system, ref, jobs);
      const worker = spawnWorker(system, ref, jobs, false);
      try {
        await worker.waitFor("ready");
        const startedAt = performance.now();
        await worker.command({ cmd: "start" }, "started");
        const firstAt = await worker.waitFor("first");
        const { drainedAt, share } = await awaitDrain(worker, jobs, startedAt, sizes.drainCapMs);
        return {
          jobsPerSec: jobs / ((drainedAt - startedAt) / 1000),
          firstPickupMs: firstAt - startedAt,
          [COMPLETED_SHARE]: share,
        };
      } finally {
        await worker.stop();
      }
    }),
};

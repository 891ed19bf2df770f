/**
 * W4: recovery. N queued jobs in the store; a new worker process is forked and starts at once. Timed
 * from the fork: the first job running, and all of them drained. Process start includes Node and tsx
 * loading the adapter and the library, so the time from "modules loaded" to the first job is shown too.
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

/** W4: process start → first job → drained, on a large backlog. */
export const recoveryWorkload: Workload = {
  id: "W4",
  title: "W4 · recovery: process start with a backlog",
  description: (sizes) =>
    `${sizes.recoveryJobs.toLocaleString("en")} queued jobs in the store; a new process starts a worker ` +
    `(concurrency ${WORKER_CONCURRENCY}); timed from the process spawn. jobd runs from its build ` +
    "(dist/, as users run it); every worker process, peers' too, starts through tsx, the harness's " +
    "TypeScript loader; the last figure starts once the modules are loaded.",
  metrics: [
    { key: "firstJobMs", label: "spawn → first job", unit: "ms", better: "lower" },
    { key: "drainedS", label: "spawn → all drained", unit: "s", better: "lower" },
    { key: "loadedToFirstMs", label: "modules loaded → first job", unit: "ms", better: "lower" },
  ],
  notApplicable: (system) => (system.survivesRestart ? undefined : "nothing survives a restart"),
  runOnce: (system, sizes) =>
    withFreshStore(system, async (ref) => {
      const jobs = sizes.recoveryJobs;
      await fillStore(system, ref, jobs);
      const worker = spawnWorker(system, ref, jobs, true);
      try {
        const loadedAt = await worker.waitFor("ready");
        const firstAt = await worker.waitFor("first");
        const { drainedAt, share } = await awaitDrain(worker, jobs, worker.spawnedAt, sizes.recoveryCapMs);
        return {
          firstJobMs: firstAt - worker.spawnedAt,
          loadedToFirstMs: firstAt - loadedAt,
          drainedS: (drainedAt - worker.spawnedAt) / 1000,
          [COMPLETED_SHARE]: share,
        };
      } finally {
        await worker.stop();
      }
    }),
};

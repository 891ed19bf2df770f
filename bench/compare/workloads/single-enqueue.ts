/** W2: N single enqueues one after the other, each awaited: latency percentiles and ops/s. */
import { makePayloads } from "../adapter.js";
import { quantile } from "../stats.js";
import { type Workload, withFreshStore } from "./workload.js";

/** Untimed enqueues first, so connection setup and JIT warm-up are not in the percentiles. */
const WARMUP = 50;

/** W2: sequential single enqueue. */
export const singleEnqueueWorkload: Workload = {
  id: "W2",
  title: "W2 · sequential single enqueues",
  description: (sizes) =>
    `${sizes.singleEnqueues.toLocaleString("en")} single enqueues, each awaited before the next ` +
    `(after ${WARMUP} untimed warm-up enqueues); no worker running.`,
  metrics: [
    { key: "opsPerSec", label: "ops/s", unit: "ops/s", better: "higher" },
    { key: "p50Ms", label: "p50", unit: "ms", better: "lower" },
    { key: "p99Ms", label: "p99", unit: "ms", better: "lower" },
  ],
  notApplicable: () => undefined,
  runOnce: (system, sizes) =>
    withFreshStore(system, async (ref) => {
      const producer = await system.openProducer(ref);
      try {
        for (const payload of makePayloads(WARMUP, -WARMUP)) await producer.enqueue(payload);
        const latencies: number[] = [];
        const startedAt = performance.now();
        for (const payload of makePayloads(sizes.singleEnqueues)) {
          const before = performance.now();
          await producer.enqueue(payload);
          latencies.push(performance.now() - before);
        }
        const elapsedMs = performance.now() - startedAt;
        return {
          opsPerSec: sizes.singleEnqueues / (elapsedMs / 1000),
          p50Ms: quantile(latencies, 0.5),
          p99Ms: quantile(latencies, 0.99),
        };
      } finally {
        await producer.close();
      }
    }),
};

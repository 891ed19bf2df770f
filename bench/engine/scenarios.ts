/**
 * The engine's end-to-end throughput with no-op in-process handlers: what the JobQueue, dispatcher,
 * executor and store cost per job, with the handler's own work taken out.
 *
 * - enqueue+drain: 10k jobs enqueued in batches of 100 while the dispatcher already runs them at
 *   concurrency 10; timed from the first enqueue to the last completion.
 * - drain: 10k jobs already stored; timed from `start()` to the last completion.
 */
import type { Job } from "../../src/domain/job.js";
import { HandlerRegistry } from "../../src/queue/handlers.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import type { JobStore } from "../../src/store/job-store.js";

export interface ScenarioParams {
  jobs: number;
  concurrency: number;
  batchSize: number;
}

export const DEFAULT_PARAMS: ScenarioParams = { jobs: 10_000, concurrency: 10, batchSize: 100 };

const bodies = (count: number) => Array.from({ length: count }, (_, i) => ({ type: "noop", payload: i }));

/** Resolves once `count` jobs completed. */
function completions(queue: JobQueue, count: number): Promise<void> {
  return new Promise((resolve) => {
    let done = 0;
    queue.on("completed", (_job: Job) => {
      if (++done === count) resolve();
    });
  });
}

function engine(store: JobStore, concurrency: number): JobQueue {
  return new JobQueue({ store, concurrency, handlers: new HandlerRegistry({ noop: () => null }) });
}

async function enqueueInBatches(queue: JobQueue, { jobs, batchSize }: ScenarioParams): Promise<void> {
  for (let sent = 0; sent < jobs; sent += batchSize)
    await queue.enqueueMany(bodies(Math.min(batchSize, jobs - sent)));
}

/** Milliseconds from the first enqueue to the last completion. */
export async function enqueueAndDrain(store: JobStore, params: ScenarioParams): Promise<number> {
  const queue = engine(store, params.concurrency);
  await queue.start();
  const done = completions(queue, params.jobs);
  const began = performance.now();
  await enqueueInBatches(queue, params);
  await done;
  const elapsed = performance.now() - began;
  await queue.shutdown(0);
  return elapsed;
}

/** Milliseconds from `start()` to the last completion of jobs stored beforehand. */
export async function drainOnly(store: JobStore, params: ScenarioParams): Promise<number> {
  const queue = engine(store, params.concurrency);
  await enqueueInBatches(queue, { ...params, batchSize: 1_000 });
  const done = completions(queue, params.jobs);
  const began = performance.now();
  await queue.start();
  await done;
  const elapsed = performance.now() - began;
  await queue.shutdown(0);
  return elapsed;
}

export const SCENARIOS = { "enqueue+drain": enqueueAndDrain, drain: drainOnly } as const;

/** SQLite's transaction count so far, or null for stores that do not count theirs. */
export function commitsOf(store: JobStore): number | null {
  const commits = (store as { commits?: unknown }).commits;
  return typeof commits === "number" ? commits : null;
}
export type ScenarioName = keyof typeof SCENARIOS;

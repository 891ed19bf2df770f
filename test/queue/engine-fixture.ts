/**
 * A JobQueue over a fresh MemoryJobStore (or a given store) for engine tests, and helpers that wait for
 * job events instead of sleeping.
 */
import { onTestFinished } from "vitest";
import type { Clock } from "../../src/domain/clock.js";
import type { Job } from "../../src/domain/job.js";
import { type HandlerMap, HandlerRegistry } from "../../src/queue/handlers.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import type { JobEventName } from "../../src/queue/job-queue-api.js";
import type { JobStore } from "../../src/store/job-store.js";
import { MemoryJobStore } from "../../src/store/memory/memory-job-store.js";

export interface EngineOptions {
  handlers?: HandlerMap;
  concurrency?: number;
  queueConcurrency?: Record<string, number>;
  store?: JobStore;
  clock?: Clock;
  /** Start dispatching at once (default true). */
  start?: boolean;
}

/** A started JobQueue, shut down (and its store closed) when the test ends. */
export async function startEngine(
  options: EngineOptions = {},
): Promise<{ queue: JobQueue; store: JobStore }> {
  const store = options.store ?? (await MemoryJobStore.open());
  const queue = new JobQueue({
    store,
    clock: options.clock,
    handlers: new HandlerRegistry(options.handlers),
    concurrency: options.concurrency,
    queueConcurrency: options.queueConcurrency,
  });
  onTestFinished(async () => {
    await queue.shutdown(0);
    await store.close();
  });
  if (options.start !== false) await queue.start();
  return { queue, store };
}

/** Resolves with the first `event` whose job satisfies `predicate`. */
export function nextEvent(
  queue: JobQueue,
  event: JobEventName,
  predicate: (job: Job) => boolean = () => true,
) {
  return new Promise<Job>((resolve) => {
    const listener = (job: Job) => {
      if (!predicate(job)) return;
      queue.off(event, listener);
      resolve(job);
    };
    queue.on(event, listener);
  });
}

/** Resolves once job `id` reaches one of `statuses` (checks the store first, then listens). */
export async function settled(queue: JobQueue, id: string, statuses = ["completed", "failed", "cancelled"]) {
  const events: JobEventName[] = ["completed", "failed", "cancelled", "retrying", "started"];
  return new Promise<Job>((resolve, reject) => {
    const listener = (job: Job) => {
      if (job.id !== id || !statuses.includes(job.status)) return;
      for (const e of events) queue.off(e, listener);
      resolve(job);
    };
    for (const e of events) queue.on(e, listener);
    queue.get(id).then((job) => statuses.includes(job.status) && listener(job), reject);
  });
}

/** Resolves after `count` completed events, with their jobs. */
export function completions(queue: JobQueue, count: number): Promise<Job[]> {
  return new Promise<Job[]>((resolve) => {
    const done: Job[] = [];
    const listener = (job: Job) => {
      done.push(job);
      if (done.length === count) {
        queue.off("completed", listener);
        resolve(done);
      }
    };
    queue.on("completed", listener);
  });
}

/** A promise with its resolve function, for handlers that wait for the test. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

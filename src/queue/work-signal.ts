/**
 * "A job became queued": the JobQueue announces it here (on create, retry, requeue by recovery), and the
 * dispatcher and long-polling leases listen, so they wake as soon as matching work exists instead of
 * polling the store.
 */
import type { Job } from "../domain/job.js";

/** Which jobs a listener is interested in; absent lists mean any. */
export interface WorkFilter {
  types?: readonly string[];
  queues?: readonly string[];
}

/** Told about every job that became queued, with its `runAt`. */
export type WorkListener = (job: Job) => void;

export const matchesWork = (filter: WorkFilter, job: Job): boolean =>
  (!filter.types || filter.types.includes(job.type)) && (!filter.queues || filter.queues.includes(job.queue));

/** A tiny pub/sub of queued jobs. */
export class WorkSignal {
  private readonly listeners = new Set<WorkListener>();

  /** Returns the function that unsubscribes. */
  subscribe(listener: WorkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(job: Job): void {
    for (const listener of this.listeners) listener(job);
  }
}

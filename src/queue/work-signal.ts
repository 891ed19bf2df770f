/**
 * "A job became queued": the JobQueue announces it here (on create, retry, requeue by recovery, and — on
 * stores with notifications — when another server queued work), and the dispatcher and long-polling
 * leases listen, so they wake as soon as matching work exists instead of polling the store.
 */

/** Queued work: when it is due, and, when known, its type and queue (another server's work: unknown). */
export interface WorkHint {
  runAt: number;
  type?: string;
  queue?: string;
}

/** Which jobs a listener is interested in; absent lists mean any. */
export interface WorkFilter {
  types?: readonly string[];
  queues?: readonly string[];
}

/** Told about every job that became queued. */
export type WorkListener = (work: WorkHint) => void;

/** True when the work may be of interest: an unknown type or queue matches every filter. */
export const matchesWork = (filter: WorkFilter, work: WorkHint): boolean =>
  (!filter.types || work.type === undefined || filter.types.includes(work.type)) &&
  (!filter.queues || work.queue === undefined || filter.queues.includes(work.queue));

/** A tiny pub/sub of queued jobs. */
export class WorkSignal {
  private readonly listeners = new Set<WorkListener>();

  /** Returns the function that unsubscribes. */
  subscribe(listener: WorkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(work: WorkHint): void {
    for (const listener of this.listeners) listener(work);
  }
}

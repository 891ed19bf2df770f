/**
 * Where an indexed store makes its changes durable. The index applies a change in memory at once;
 * the change log then makes it durable (a journal for JsonJobStore, nothing for MemoryJobStore).
 */
import type { Job } from "../../domain/job.js";

/** One change to the stored jobs, as a journal records it. */
export type JobChange = { op: "put"; job: Job } | { op: "delete"; id: string };

export interface ChangeLog {
  /** Records `changes` in order; resolves once they are durable, rejects if they cannot be. */
  append(changes: readonly JobChange[]): Promise<void>;
  /** Resolves once every change appended so far is durable (reads wait on it, see IndexedJobStore). */
  barrier(): Promise<void>;
  /** Makes everything durable and releases files. */
  close(): Promise<void>;
}

/** The change log of a store that keeps nothing: every change is as durable as it will ever be. */
export const NO_CHANGE_LOG: ChangeLog = {
  append: async () => {},
  barrier: async () => {},
  close: async () => {},
};

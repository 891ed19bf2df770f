/**
 * The one interface every compared system implements. The runner drives all systems through it, so the
 * workloads are identical: the same payloads ({"n": i}), the same no-op handler, the same concurrency.
 *
 * A run's store lives in a `StoreRef` (a plain JSON value: a temp dir, a schema, a queue name) so that
 * the worker child process (worker-process.ts) can open the same store the parent filled.
 */

/** Plain JSON that names one run's fresh store; handed to the worker child on its command line. */
export type StoreRef = Record<string, string | number | boolean>;

/** The job body every workload uses. */
export interface BenchPayload {
  n: number;
}

/** Enqueues jobs into one run's store. */
export interface Producer {
  /** The system's bulk API (all at once, or its documented batch size). */
  enqueueMany(payloads: BenchPayload[]): Promise<void>;
  /** One job; resolves when the system acknowledges it. */
  enqueue(payload: BenchPayload): Promise<void>;
  close(): Promise<void>;
}

export interface WorkerOptions {
  concurrency: number;
  /** Called when a handler starts (for time to first pickup). */
  onPickup: () => void;
  /** Called once per job the system reports completed. */
  onCompleted: () => void;
}

/** A running worker. `producer` is set when jobs must be enqueued in the worker's own process. */
export interface RunningWorker {
  stop(): Promise<void>;
  producer?: Producer;
}

export interface BenchSystem {
  /** Stable id used by `--systems`, e.g. `jobd-sqlite-full`. */
  readonly id: string;
  /** Name in tables and the chart. */
  readonly label: string;
  /** What a crash can cost with the settings used here, in words. */
  readonly durability: string;
  /** How it is set up and driven here, in a sentence, for the report. */
  readonly setup: string;
  /**
   * The store belongs to one process (jobd embedded): bulk enqueues in W1 go to the worker's process,
   * and a memory store cannot be pre-filled by another process (W3/W4 are not applicable).
   */
  readonly enqueueInWorker?: boolean;
  /** False when nothing survives a restart, so W3 (pre-filled) and W4 (recovery) do not apply. */
  readonly survivesRestart: boolean;
  /** Workloads this system sits out, by workload id, with the reason. */
  readonly skips?: Readonly<Record<string, string>>;
  /** Package and version(s), e.g. `bullmq 6.7.0 (Redis 7.0.15)`. */
  version(): Promise<string>;
  /** Why this system cannot run here (its server is unreachable, a module is missing), else undefined. */
  unavailableReason(): Promise<string | undefined>;
  /** Once per invocation before any run (e.g. Redis AOF on): the undo, and a sentence for the report. */
  prepare?(): Promise<{ undo: () => Promise<void>; note: string }>;
  /** A fresh, empty store for one run. */
  reset(): Promise<StoreRef>;
  openProducer(ref: StoreRef): Promise<Producer>;
  /** Runs in the worker child: consume with a no-op handler. */
  startWorker(ref: StoreRef, options: WorkerOptions): Promise<RunningWorker>;
  /** Removes the run's store. */
  teardown(ref: StoreRef): Promise<void>;
}

/** The job type / queue name every system uses. */
export const BENCH_JOB_TYPE = "bench";

/** `{"n": i}` for i in [from, from + count). */
export function makePayloads(count: number, from = 0): BenchPayload[] {
  return Array.from({ length: count }, (_, i) => ({ n: from + i }));
}

/**
 * The in-process half of the engine: the dispatcher, the executor and the lease keeper, wired together
 * under one worker id, with one start/stop contract. The JobQueue owns one.
 */
import { hostname } from "node:os";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import type { Clock } from "../domain/clock.js";
import type { JobStore } from "../store/job-store.js";
import { Dispatcher } from "./dispatcher.js";
import { Executor } from "./executor.js";
import type { HandlerRegistry } from "./handlers.js";
import type { JobPublisher } from "./job-events.js";
import { type HeldLease, LeaseKeeper } from "./lease-keeper.js";
import type { AbortKind } from "./outcome.js";
import type { WorkSignal } from "./work-signal.js";

export const DEFAULT_CONCURRENCY = 10;
/** In-process leases: renewed every 10 s, so a crash on a shared store frees the job within ~30 s. */
export const LOCAL_LEASE_MS = 30_000;
/** Stores shared with other servers are looked at this often for their jobs (without notifications). */
export const SHARED_STORE_POLL_MS = 1_000;
/** With notifications, polling is only the fallback for a missed one. */
export const NOTIFIED_STORE_POLL_MS = 5_000;

export interface InProcessRunnerOptions {
  store: JobStore;
  clock: Clock;
  registry: HandlerRegistry;
  work: WorkSignal;
  publisher: JobPublisher;
  concurrency: number;
  queueConcurrency: Readonly<Record<string, number>>;
  log: Logger;
}

/** `local:<host>:<pid>:<random>`: unique per server instance, readable in the dashboard. */
const newLocalWorkerId = () => `local:${hostname()}:${process.pid}:${uuidv7().slice(-8)}`;

/** How often to look for other servers' work: never on single-node stores. */
function pollMs(store: JobStore): number {
  const { singleNode, notifications } = store.capabilities;
  if (singleNode) return 0;
  return notifications && store.onJobsAvailable ? NOTIFIED_STORE_POLL_MS : SHARED_STORE_POLL_MS;
}

/** Runs due jobs with this server's handlers. */
export class InProcessRunner {
  /** The worker id of this server's in-process handlers. */
  readonly workerId = newLocalWorkerId();
  private readonly executor: Executor;
  private readonly keeper: LeaseKeeper;
  private readonly dispatcher: Dispatcher;

  constructor(options: InProcessRunnerOptions) {
    const { store, clock, log, registry, publisher } = options;
    this.executor = new Executor({ store, clock, log, registry, publisher });
    this.dispatcher = new Dispatcher({
      ...options,
      executor: this.executor,
      workerId: this.workerId,
      leaseMs: LOCAL_LEASE_MS,
      pollMs: pollMs(store),
    });
    this.keeper = new LeaseKeeper({
      store,
      clock,
      log,
      leaseMs: LOCAL_LEASE_MS,
      held: () => this.heldLeases(),
      lost: (id) => this.abort(id, "lease-lost"),
    });
  }

  /** Starts renewing leases and dispatching. Idempotent. */
  async start(): Promise<void> {
    this.keeper.start();
    await this.dispatcher.start();
  }

  /** Stops claiming, drains the runs (see Executor.drain), then stops renewing. Call once. */
  async stop(timeoutMs: number): Promise<void> {
    await this.dispatcher.stop();
    await this.executor.drain(timeoutMs);
    await this.keeper.stop();
  }

  /** Aborts this server's run of job `id`, if it has one; a claimed job not started yet is dropped. */
  abort(id: string, kind: AbortKind): void {
    if (!this.dispatcher.drop(id)) this.executor.abort(id, kind);
  }

  /** Running jobs and claimed ones waiting for a slot: both hold a lease of this server. */
  private *heldLeases(): Iterable<HeldLease> {
    yield* this.executor.inFlight();
    for (const job of this.dispatcher.buffered())
      yield { job, lease: { workerId: this.workerId, attempt: job.attempts } };
  }

  /** Looks for due work now. */
  wake(): void {
    this.dispatcher.wake();
  }

  /** Runs in flight. */
  get running(): number {
    return this.dispatcher.inFlight;
  }
}

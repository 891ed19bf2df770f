/**
 * Runs in-process handlers. Each run: call the handler with `{ job, signal, progress, log }`, classify
 * whatever happens ONCE (success, failure, timeout, cancelled, lease lost, shutdown), then persist it
 * with ONE lease-guarded store transition. A run whose signal fires settles at once, even if its handler
 * ignores the signal: the slot is freed and whatever that handler does later is ignored.
 *
 * Completion is asynchronous and batched: the slot is freed as soon as the outcome is known, and on a
 * persistent store the outcome's write waits — at most OUTCOME_DELAY_MS, and only while other runs are
 * in flight — for the dispatcher's next claim or for more outcomes, so that they all share one group
 * commit (one fsync) instead of one per event-loop turn. The job stays `processing` under this server's
 * lease until that write is durable; a crash before then runs it again (at-least-once), and `drain`
 * (shutdown) writes the waiting outcomes at once and waits for every write.
 *
 * The hot path allocates little on purpose (measured): no promise race, no closure per run beyond the
 * handler's own promise callbacks; the handler starts in a microtask, so a synchronous handler never
 * runs inside the dispatcher's loop.
 */
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.js";
import { isJobdError } from "../domain/errors.js";
import type { Job } from "../domain/job.js";
import { reportProgress } from "../domain/transitions.js";
import type { JobStore } from "../store/job-store.js";
import type { HandlerRegistry } from "./handlers.js";
import type { JobPublisher } from "./job-events.js";
import { type AbortKind, failureOutcome, successOutcome, transitionFor } from "./outcome.js";
import { Run, type RunOwner } from "./run.js";
import { type ProgressSink, RunContext } from "./run-context.js";

/** The longest an outcome waits to be written with others (persistent stores, other runs in flight). */
export const OUTCOME_DELAY_MS = 5;
/** This many waiting outcomes are written at once without waiting longer. */
export const MAX_WAITING_OUTCOMES = 500;

export interface ExecutorOptions {
  store: JobStore;
  clock: Clock;
  registry: HandlerRegistry;
  publisher: JobPublisher;
  log: Logger;
}

/** Executes claimed jobs with their in-process handlers. */
export class Executor implements RunOwner, ProgressSink {
  /** Runs whose handler has not settled yet (abortable, their leases renewed). */
  private readonly runs = new Map<string, Run>();
  /** Outcomes waiting to be written or being written. */
  private writing = 0;
  /** Settled runs whose outcome waits for the next batch. */
  private waiting: Run[] = [];
  private flushTimer: NodeJS.Timeout | undefined = undefined;
  /** Memory: no commit to share, so no reason to wait. */
  private readonly batchOutcomes: boolean;
  /** Called when no run is in flight and no outcome is being written. */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ExecutorOptions) {
    this.batchOutcomes = options.store.capabilities.persistent;
  }

  /**
   * Runs a job the dispatcher claimed. `onSettled` is called as soon as the outcome is known — the slot
   * is free then; the outcome's write goes on without holding it.
   */
  run(job: Job, onSettled: () => void): void {
    const run = new Run(job, this, onSettled);
    this.runs.set(job.id, run);
    queueMicrotask(() => this.start(run));
  }

  /** Stops the run of `id`, if this executor has one, for `kind`; its outcome is persisted as such. */
  abort(id: string, kind: AbortKind): void {
    this.runs.get(id)?.abort(kind);
  }

  /** The runs in flight now (the lease keeper renews their leases). */
  inFlight(): Iterable<Run> {
    return this.runs.values();
  }

  /**
   * Waits up to `timeoutMs` for every run, then aborts those still running as "shutdown"; resolves once
   * every outcome (and every release) is persisted.
   */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    this.writeOutcomes();
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      this.whenIdle(resolve);
    });
    clearTimeout(timer);
    for (const run of this.runs.values()) run.abort("shutdown");
    this.writeOutcomes();
    await new Promise<void>((resolve) => this.whenIdle(resolve));
  }

  /** The run's outcome is known: free its slot, and write the outcome now or with the next batch. */
  settled(run: Run): void {
    if (run.timer) clearTimeout(run.timer);
    this.runs.delete(run.job.id);
    this.writing++;
    this.waiting.push(run);
    run.onSettled(); // may start the next run, and may claim (which writes the waiting outcomes)
    if (!this.batchOutcomes || this.runs.size === 0 || this.waiting.length >= MAX_WAITING_OUTCOMES)
      this.writeOutcomes();
    else this.flushTimer ??= setTimeout(() => this.writeOutcomes(), OUTCOME_DELAY_MS);
  }

  /** Issues the waiting outcomes' writes together (one group commit); the dispatcher calls it as it claims. */
  writeOutcomes(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    for (const run of batch) void this.persist(run);
  }

  /**
   * Stores and announces a progress report (`checkProgress` passed it already). It never rejects — a
   * handler need not await it: after the run is over (or taken away) it is ignored, and a failed write
   * is logged; a lost lease is then found by the lease keeper, which aborts the run.
   */
  async reportProgress(run: Run, percent: number): Promise<void> {
    if (this.runs.get(run.job.id) !== run) return;
    const { store, clock, publisher, log } = this.options;
    try {
      publisher.progressed(
        await store.update(run.job.id, (j) => reportProgress(j, run.lease, percent, clock.now())),
      );
    } catch (error) {
      if (isLostLease(error))
        log.debug({ jobId: run.job.id, reason: (error as Error).message }, "progress not stored");
      else log.warn({ err: error, jobId: run.job.id }, "progress not stored");
    }
  }

  /** Calls the handler; whatever it returns, throws or rejects settles the run (unless an abort did). */
  private start(run: Run): void {
    if (run.outcome !== undefined) return; // aborted before it started
    const { job } = run;
    const handler = this.options.registry.get(job.type);
    if (!handler) {
      run.settle({ kind: "failure", error: `no handler for job type "${job.type}"`, retryable: true });
      return;
    }
    run.timer = this.startTimeout(run);
    let returned: unknown;
    try {
      returned = handler(job.payload, new RunContext(run, this, this.options.log));
      if (isThenable(returned)) {
        // Promise.resolve: a native promise as it is; any other thenable, safely adopted.
        Promise.resolve(returned).then(
          (value) => run.settle(successOutcome(value)),
          (error) => run.settle(failureOutcome(error)),
        );
        return;
      }
    } catch (error) {
      run.settle(failureOutcome(error));
      return;
    }
    run.settle(successOutcome(returned));
  }

  /** `timeout_ms` counts from the claim (`startedAt`), the same moment the lease cap counts from. */
  private startTimeout(run: Run): NodeJS.Timeout | undefined {
    const { job } = run;
    if (job.timeoutMs === null) return undefined;
    const remaining = (job.startedAt ?? this.options.clock.now()) + job.timeoutMs - this.options.clock.now();
    return setTimeout(() => run.abort("timeout"), Math.max(0, remaining));
  }

  /** The single store write for the outcome; a lost race (conflict, deleted) is expected and only logged. */
  private async persist(run: Run): Promise<void> {
    const { store, clock, publisher, log } = this.options;
    const outcome = run.outcome as NonNullable<Run["outcome"]>;
    try {
      const transition = transitionFor(outcome, run.lease, () => clock.now());
      if (transition) publisher.changed(await store.update(run.job.id, transition));
    } catch (error) {
      if (isLostLease(error))
        log.debug(
          { jobId: run.job.id, outcome: outcome.kind, reason: (error as Error).message },
          "outcome not stored",
        );
      else log.error({ err: error, jobId: run.job.id }, "executor failure");
    } finally {
      this.writing--;
      this.notifyIfIdle();
    }
  }

  private whenIdle(resolve: () => void): void {
    this.idleWaiters.push(resolve);
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.runs.size > 0 || this.writing > 0 || this.idleWaiters.length === 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** The job moved on without us (cancelled, re-leased, expired, deleted): nothing to write. */
export function isLostLease(error: unknown): boolean {
  return isJobdError(error) && (error.code === "conflict" || error.code === "not_found");
}

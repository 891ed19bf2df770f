/**
 * Runs in-process handlers. Each run: call the handler with `{ job, signal, progress, log }`, classify
 * whatever happens ONCE (success, failure, timeout, cancelled, lease lost, shutdown), then persist it
 * with ONE lease-guarded store transition. A run whose signal fires settles at once, even if its handler
 * ignores the signal: the slot is freed and whatever that handler does later is ignored.
 */
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.js";
import { invalid, isJobdError } from "../domain/errors.js";
import { type Job, type JobJson, toJobJson } from "../domain/job.js";
import { reportProgress } from "../domain/transitions.js";
import type { JobStore } from "../store/job-store.js";
import type { HandlerContext, HandlerRegistry } from "./handlers.js";
import type { JobPublisher } from "./job-events.js";
import { type AbortKind, failureOutcome, type Outcome, successOutcome, transitionFor } from "./outcome.js";
import { Run } from "./run.js";

export interface ExecutorOptions {
  store: JobStore;
  clock: Clock;
  registry: HandlerRegistry;
  publisher: JobPublisher;
  log: Logger;
}

/** Executes claimed jobs with their in-process handlers. */
export class Executor {
  /** Runs whose handler has not settled yet (abortable, their leases renewed). */
  private readonly runs = new Map<string, Run>();
  /** Every run not yet persisted, including those whose outcome is being written. */
  private readonly unfinished = new Set<Promise<void>>();

  constructor(private readonly options: ExecutorOptions) {}

  /**
   * Runs a job the dispatcher claimed; resolves once its outcome is persisted. Never rejects.
   * `onSettled` is called as soon as the outcome is known — the slot is free then, so the next claim can
   * join the same group commit as this outcome's write.
   */
  run(job: Job, onSettled: () => void = () => {}): Promise<void> {
    const run = new Run(job);
    this.runs.set(job.id, run);
    const done = this.execute(run)
      .then((outcome) => {
        this.runs.delete(job.id);
        const persisted = this.persist(run, outcome);
        onSettled();
        return persisted;
      })
      .catch((error) => this.options.log.error({ err: error, jobId: job.id }, "executor failure"));
    this.unfinished.add(done);
    void done.then(() => this.unfinished.delete(done));
    return done;
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
    const pending = () => Promise.all([...this.unfinished]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([pending(), timedOut]);
    clearTimeout(timer);
    for (const run of this.runs.values()) run.abort("shutdown");
    await pending();
  }

  /** Calls the handler and classifies the first thing that happens: it returns, it throws, or the signal fires. */
  private async execute(run: Run): Promise<Outcome> {
    const { job } = run;
    const handler = this.options.registry.get(job.type);
    if (!handler) return { kind: "failure", error: `no handler for job type "${job.type}"`, retryable: true };
    // Every abort goes through Run.abort, which settles this directly: no listener on the signal per run.
    const aborted = new Promise<Outcome>((resolve) => {
      run.settleAborted = resolve;
    });
    const timer = this.startTimeout(run);
    const handled = Promise.resolve()
      .then(() => handler(job.payload, this.context(run)))
      .then(successOutcome, failureOutcome);
    try {
      return await Promise.race([handled, aborted]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** `timeout_ms` counts from the claim (`startedAt`), the same moment the lease cap counts from. */
  private startTimeout(run: Run): NodeJS.Timeout | undefined {
    const { job } = run;
    if (job.timeoutMs === null) return undefined;
    const remaining = (job.startedAt ?? this.options.clock.now()) + job.timeoutMs - this.options.clock.now();
    return setTimeout(() => run.abort("timeout"), Math.max(0, remaining));
  }

  /** The handler's ctx; `job` and `log` are made on first use, since most handlers need neither. */
  private context(run: Run): HandlerContext {
    const { job } = run;
    const { log } = this.options;
    let jobJson: JobJson | undefined;
    let jobLog: Logger | undefined;
    return {
      get job() {
        jobJson ??= toJobJson(job);
        return jobJson;
      },
      get signal() {
        return run.signal;
      },
      progress: (percent) => this.reportProgress(run, percent),
      get log() {
        jobLog ??= log.child({ jobId: job.id, type: job.type, attempt: job.attempts });
        return jobLog;
      },
    };
  }

  /** Stores and announces a progress report; after the run is over (or taken away) it is ignored. */
  private async reportProgress(run: Run, percent: number): Promise<void> {
    if (typeof percent !== "number" || !Number.isFinite(percent) || percent < 0 || percent > 100)
      throw invalid(`progress must be a number from 0 to 100 (got ${String(percent)})`);
    if (this.runs.get(run.job.id) !== run) return;
    const { store, clock, publisher } = this.options;
    try {
      publisher.progressed(
        await store.update(run.job.id, (j) => reportProgress(j, run.lease, percent, clock.now())),
      );
    } catch (error) {
      if (!isLostLease(error)) throw error;
    }
  }

  /** The single store write for the outcome; a lost race (conflict, deleted) is expected and only logged. */
  private async persist(run: Run, outcome: Outcome): Promise<void> {
    const { store, clock, publisher, log } = this.options;
    const transition = transitionFor(outcome, run.lease, () => clock.now());
    if (!transition) return;
    try {
      publisher.changed(await store.update(run.job.id, transition));
    } catch (error) {
      if (!isLostLease(error)) throw error;
      log.debug(
        { jobId: run.job.id, outcome: outcome.kind, reason: (error as Error).message },
        "outcome not stored",
      );
    }
  }
}

/** The job moved on without us (cancelled, re-leased, expired, deleted): nothing to write. */
export function isLostLease(error: unknown): boolean {
  return isJobdError(error) && (error.code === "conflict" || error.code === "not_found");
}

/**
 * The JobQueue: every operation of the REST API on the store, plus the in-process engine
 * (InProcessRunner: dispatcher, executor, lease keeper). It applies the domain transitions through the store, announces each state
 * change once (events, and a wake-up for whoever waits for queued work), and shuts down gracefully.
 */
import pino, { type Logger } from "pino";
import { type Clock, systemClock } from "../domain/clock.js";
import { notFound } from "../domain/errors.js";
import type { Job } from "../domain/job.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../domain/new-job.js";
import * as transitions from "../domain/transitions.js";
import type { CreateJobBody } from "../schemas/job.js";
import type { CreateResult, JobStore, QueryParams, QueryResult } from "../store/job-store.js";
import { jobFromBody, jobsFromBodies } from "./create-bodies.js";
import { HandlerRegistry } from "./handlers.js";
import { DEFAULT_CONCURRENCY, InProcessRunner } from "./in-process-runner.js";
import { eventForChange, JobEvents, type JobListener, type JobPublisher } from "./job-events.js";
import type { JobEventName, JobQueueApi, LeaseRequest, RecoveryResult, Stats } from "./job-queue-api.js";
import { claimWithWait } from "./lease-poll.js";
import { WorkSignal } from "./work-signal.js";

export interface JobQueueOptions {
  store: JobStore;
  clock?: Clock;
  handlers?: HandlerRegistry;
  /** In-process runs at a time, server-wide (default 10). */
  concurrency?: number;
  /** Optional per-queue limits on in-process runs, within `concurrency`. */
  queueConcurrency?: Record<string, number>;
  maxPayloadBytes?: number;
  log?: Logger;
}

const emptyRecovery = (): RecoveryResult => ({ recovered: 0, requeued: 0, failed: 0, retried: 0, pruned: 0 });

/** The engine behind the REST API, the library and the CLI. */
export class JobQueue implements JobQueueApi {
  readonly store: JobStore;
  readonly clock: Clock;
  /** The startup RecoveryResult (set by the RecoveryManager), for `/api/stats`. */
  recovery: RecoveryResult = emptyRecovery();
  private readonly maintenance = { reapedLeases: 0, pruned: 0 };
  private readonly startedAt: number;
  private readonly maxPayloadBytes: number;
  private readonly events: JobEvents;
  private readonly work = new WorkSignal();
  private readonly runner: InProcessRunner;
  private readonly closing = new AbortController();
  private shutdownPromise: Promise<void> | undefined;
  private unsubscribeStore: (() => void) | undefined;

  constructor(options: JobQueueOptions) {
    const log = options.log ?? pino({ enabled: false });
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.events = new JobEvents(log);
    this.runner = new InProcessRunner({
      store: this.store,
      clock: this.clock,
      log,
      registry: options.handlers ?? new HandlerRegistry(),
      work: this.work,
      publisher: this.publisher,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      queueConcurrency: options.queueConcurrency ?? {},
    });
  }

  /** The worker id of this server's in-process handlers. */
  get workerId(): string {
    return this.runner.workerId;
  }

  /** Announces changes: the event, a wake-up for queued work, and the end of a local run taken away. */
  private readonly publisher: JobPublisher = {
    changed: (job) => {
      if (job.status !== "processing")
        this.runner.abort(job.id, job.status === "cancelled" ? "cancelled" : "lease-lost");
      this.events.emit(eventForChange(job), job);
      if (job.status === "queued") this.work.notify(job);
    },
    progressed: (job) => this.events.emit("progress", job),
  };

  /** Starts running due jobs with the in-process handlers (after recovery). Idempotent. */
  async start(): Promise<void> {
    if (this.unsubscribeStore) return;
    this.unsubscribeStore =
      this.store.onJobsAvailable?.((runAt) => this.work.notify({ runAt })) ?? (() => {});
    await this.runner.start();
  }

  /**
   * Graceful shutdown of the engine: stop claiming and end long polls, let in-process runs finish for up
   * to `timeoutMs`, then abort the rest and put them back to queued (that run does not count). Remote
   * workers keep their leases. Safe to call twice. The store stays open (its owner closes it).
   */
  shutdown(timeoutMs: number): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.closing.abort();
      this.unsubscribeStore?.();
      await this.runner.stop(timeoutMs);
    })();
    return this.shutdownPromise;
  }

  /** Announces changes made outside the queue's own operations (recovery, the reaper). */
  publishChanges(jobs: readonly Job[]): void {
    for (const job of jobs) this.publisher.changed(job);
  }

  /** Adds to the maintenance totals `/metrics` reports. */
  recordMaintenance(delta: { reapedLeases?: number; pruned?: number }): void {
    this.maintenance.reapedLeases += delta.reapedLeases ?? 0;
    this.maintenance.pruned += delta.pruned ?? 0;
  }

  /** Looks for due work now (after an injected clock moved, for instance). */
  wake(): void {
    this.runner.wake();
  }

  /** In-process runs in flight. */
  get running(): number {
    return this.runner.running;
  }

  async enqueue(body: CreateJobBody): Promise<CreateResult> {
    const result = await this.store.create(jobFromBody(body, this.clock.now(), this.maxPayloadBytes));
    if (result.created) this.announceCreated(result.job);
    return result;
  }

  async enqueueMany(bodies: CreateJobBody[]): Promise<CreateResult[]> {
    const results = await this.store.createMany(
      jobsFromBodies(bodies, this.clock.now(), this.maxPayloadBytes),
    );
    for (const result of results) if (result.created) this.announceCreated(result.job);
    return results;
  }

  async get(id: string): Promise<Job> {
    const job = await this.store.get(id);
    if (!job) throw notFound(id);
    return job;
  }

  history(params: QueryParams): Promise<QueryResult> {
    return this.store.query(params);
  }

  async retry(id: string): Promise<Job> {
    const job = await this.store.update(id, (j) => transitions.manualRetry(j, this.clock.now()));
    this.publisher.changed(job);
    return job;
  }

  async retryFailed(filter: { type?: string; queue?: string }): Promise<number> {
    const jobs = await this.store.updateMany(
      {
        status: ["failed"],
        type: filter.type ? [filter.type] : undefined,
        queue: filter.queue ? [filter.queue] : undefined,
      },
      (j) => transitions.manualRetry(j, this.clock.now()),
    );
    this.publishChanges(jobs);
    return jobs.length;
  }

  async cancel(id: string): Promise<Job> {
    const job = await this.store.update(id, (j) => transitions.cancel(j, this.clock.now()));
    this.publisher.changed(job);
    return job;
  }

  async delete(id: string): Promise<void> {
    const job = await this.store.remove(id, transitions.assertDeletable);
    this.events.emit("deleted", job);
  }

  async lease(request: LeaseRequest, signal?: AbortSignal): Promise<Job[]> {
    if (this.closing.signal.aborted) return [];
    const claimNow = async () => {
      const jobs = await this.store.claim({
        workerId: request.workerId,
        now: this.clock.now(),
        limit: request.maxJobs,
        leaseMs: request.leaseMs,
        types: request.types,
        queues: request.queues,
      });
      for (const job of jobs) this.publisher.changed(job);
      return jobs;
    };
    const stop = this.pollSignal(request.waitMs, signal);
    const deps = { store: this.store, clock: this.clock, work: this.work };
    return claimWithWait(claimNow, request, deps, stop);
  }

  async heartbeat(
    id: string,
    lease: transitions.LeaseRef & { progress?: number; leaseMs?: number },
  ): Promise<Job> {
    const now = this.clock.now();
    const job = await this.store.update(id, (j) =>
      transitions.heartbeat(j, lease, { now, leaseMs: lease.leaseMs, progress: lease.progress }),
    );
    if (lease.progress !== undefined) this.publisher.progressed(job);
    return job;
  }

  async complete(id: string, lease: transitions.LeaseRef & { result?: Job["result"] }): Promise<Job> {
    const result = lease.result ?? null;
    const job = await this.store.update(id, (j) =>
      transitions.complete(j, lease, { now: this.clock.now(), result }),
    );
    this.publisher.changed(job);
    return job;
  }

  async fail(id: string, lease: transitions.LeaseRef & { error: string; retryable?: boolean }): Promise<Job> {
    const params = { error: lease.error, retryable: lease.retryable };
    const job = await this.store.update(id, (j) =>
      transitions.fail(j, lease, { ...params, now: this.clock.now() }),
    );
    this.publisher.changed(job);
    return job;
  }

  async stats(): Promise<Stats> {
    return {
      ...(await this.store.counts()),
      recovery: { ...this.recovery },
      backend: this.store.backend,
      durability: this.store.durability,
      uptimeS: Math.round((this.clock.now() - this.startedAt) / 1000),
    };
  }

  maintenanceTotals(): { reapedLeases: number; pruned: number } {
    return { ...this.maintenance };
  }

  on(event: JobEventName, listener: JobListener): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: JobEventName, listener: JobListener): this {
    this.events.off(event, listener);
    return this;
  }

  /**
   * What ends a long poll early: the caller's signal or the shutdown. A lease that does not wait is
   * over before a shutdown could matter (checked on entry), so it skips AbortSignal.any, which ties a
   * new signal to the long-lived closing one on every request.
   */
  private pollSignal(waitMs: number, signal?: AbortSignal): AbortSignal | undefined {
    if (waitMs <= 0) return signal;
    return signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
  }

  private announceCreated(job: Job): void {
    this.events.emit("created", job);
    this.work.notify(job);
  }
}

/**
 * `JobdClient.work()`: a remote worker. One lease request at a time long-polls for the free handler
 * slots plus a prefetch sized by the handlers' pace (src/queue/prefetch-pace.ts, the rule of the
 * in-process dispatcher: about the last 10 ms of starts; none for handlers slower than that), at most
 * 100. Every job takes a slot as soon as one is free, in lease order (`runLeasedJob`: heartbeats from
 * the lease on, complete/fail). A slot frees when its handler returns, so the next lease goes out
 * while the finished jobs' `complete` calls are still on their way — the server commits them and the
 * lease together — and the jobs leased ahead run meanwhile instead of waiting for that round trip.
 * On `stop()` it stops leasing and waits for the jobs it holds, leased ahead included, to run and
 * report. Unreachable or not-yet-ready servers (a restart) are retried with backoff; errors that
 * retrying cannot fix (a wrong token, a bad type name) stop the worker.
 *
 * One job id, one reporting run: every slot leases under the same worker_id, and after a manual retry
 * (attempts back to 0) a new lease of a job can carry the same (worker_id, attempt) as a run of it this
 * worker still holds (cancelled, but not yet told by a heartbeat) — the server could not tell their
 * reports apart. So a lease of a job id the worker still holds supersedes the earlier run: its signal
 * aborts (a `SupersededError`), and it sends no more heartbeats and no outcome; a run leased ahead and
 * still waiting for its slot never starts.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { PrefetchPace } from "../queue/prefetch-pace.js";
import { isJobdClientError, SupersededError } from "./errors.js";
import { Heartbeats } from "./heartbeats.js";
import { LeasedJob } from "./job-run.js";
import type { JobdClient, RemoteJob } from "./jobd-client.js";
import { Slots } from "./slots.js";

/** What a handler gets besides the payload. */
export interface WorkContext {
  job: RemoteJob;
  /**
   * Fires when the job is cancelled or its lease is lost (the next heartbeat gets 409; the reason is
   * that `JobdClientError`), or when this worker leased the same job again, which supersedes this run
   * (a `SupersededError`). Either way the run's outcome is not reported.
   */
  signal: AbortSignal;
  /** Records progress (0…100; anything else throws at once); sent with the next heartbeat. */
  progress(percent: number): void;
}

/** Returns the job's result (JSON), or throws to fail it (`NonRetryableError` to fail it for good). */
export type WorkHandler<T = unknown> = (payload: unknown, ctx: WorkContext) => T | Promise<T>;

export interface WorkOptions {
  /** Handlers run at once; default 1. */
  concurrency?: number;
  /** Lease length asked for; heartbeats run every third of it. Default 30,000 ms. */
  leaseMs?: number;
  /** Long-poll wait of each lease call; default 20,000 ms (server maximum 30,000). */
  waitMs?: number;
  /** Only jobs of these queues; default any. */
  queues?: string[];
  /** Aborting it is `stop()`. */
  signal?: AbortSignal;
  /** Default `<hostname>:<pid>:<random>`. */
  workerId?: string;
  /**
   * Told of the errors the worker handles itself (an unreachable server it retries, an error that stops
   * it); default `console.error`. Not of a lease that is no longer the worker's (the job cancelled, the
   * lease expired or re-leased): that only aborts the handler's `signal`.
   */
  onError?: (error: unknown, job?: RemoteJob) => void;
}

/** The worker's settings once defaults are applied. */
export interface WorkerSettings {
  workerId: string;
  concurrency: number;
  leaseMs: number;
  waitMs: number;
  queues: string[] | undefined;
  onError: (error: unknown, job?: RemoteJob) => void;
}

const MAX_BACKOFF_MS = 5_000;
/** The server's `max_jobs` maximum. */
const MAX_LEASE_JOBS = 100;

export class Worker {
  readonly workerId: string;
  /** Resolves once the worker stopped leasing and every job it held is reported. */
  readonly stopped: Promise<void>;
  private readonly settings: WorkerSettings;
  private readonly stopping = new AbortController();
  /** Leased jobs not yet reported (handler running, or its outcome on its way). */
  private readonly held = new Set<Promise<void>>();
  /** The run of each job id the worker holds: the latest lease's (an earlier one is superseded). */
  private readonly runs = new Map<string, LeasedJob>();
  private readonly slots: Slots;
  private readonly pace = new PrefetchPace();
  private readonly heartbeats: Heartbeats;

  constructor(
    private readonly client: JobdClient,
    private readonly types: string[],
    private readonly handler: WorkHandler,
    options: WorkOptions,
  ) {
    this.settings = {
      workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      concurrency: options.concurrency ?? 1,
      leaseMs: options.leaseMs ?? 30_000,
      waitMs: options.waitMs ?? 20_000,
      queues: options.queues,
      onError:
        options.onError ?? ((error) => console.error(`jobd worker: ${(error as Error)?.message ?? error}`)),
    };
    this.workerId = this.settings.workerId;
    this.slots = new Slots(this.settings.concurrency);
    this.heartbeats = new Heartbeats(Math.max(250, Math.floor(this.settings.leaseMs / 3)));
    if (options.signal?.aborted) this.stopping.abort();
    options.signal?.addEventListener("abort", () => this.stopping.abort(), { once: true });
    this.stopped = this.leaseLoop();
  }

  /** How many leased jobs the worker holds now (waiting for a slot, running, or reporting their outcome). */
  get active(): number {
    return this.held.size;
  }

  /** Stops leasing, lets the jobs it holds (leased ahead included) run and report; safe to call twice. */
  stop(): Promise<void> {
    this.stopping.abort();
    return this.stopped;
  }

  private async leaseLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      const wanted = this.leaseSize();
      if (wanted === 0) {
        await this.slots.nextChange(); // something is in flight, so a change will come
        continue;
      }
      try {
        const jobs = await this.leaseSome(wanted);
        failures = 0;
        for (const job of jobs) this.start(job);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.settings.onError(error);
        if (!isJobdClientError(error) || !error.transient) break;
        await this.pause(Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures++));
      }
    }
    await Promise.all(this.held);
  }

  /** The free slots plus the prefetch the handlers' pace allows; none while outcomes pile up. */
  private leaseSize(): number {
    if (this.slots.backlogged) return 0;
    return Math.min(MAX_LEASE_JOBS, this.pace.claimSize(this.slots.free, this.slots.waiting));
  }

  private leaseSome(maxJobs: number): Promise<RemoteJob[]> {
    const { workerId, leaseMs, waitMs, queues } = this.settings;
    return this.client.lease(
      {
        worker_id: workerId,
        types: this.types,
        ...(queues && { queues }),
        max_jobs: maxJobs,
        lease_ms: leaseMs,
        wait_ms: waitMs,
      },
      this.stopping.signal,
    );
  }

  private start(job: RemoteJob): void {
    const hooks = {
      heartbeats: this.heartbeats,
      slot: () => this.slots.acquire(),
      started: () => this.pace.started(),
      handlerDone: () => this.slots.handlerDone(),
    };
    const run = new LeasedJob(this.client, job, this.settings);
    const earlier = this.runs.get(job.id);
    if (earlier) {
      const why = `job ${job.id} was leased to this worker again (attempt ${job.attempts}): this earlier run is superseded and will not report`;
      earlier.supersede(new SupersededError(why));
    }
    this.runs.set(job.id, run);
    const done = run.run(this.handler, hooks);
    this.held.add(done);
    void done.finally(() => {
      this.held.delete(done);
      if (this.runs.get(job.id) === run) this.runs.delete(job.id);
      this.slots.reported();
    });
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}

/**
 * `JobdClient.work()`: a remote worker. It long-polls `lease` for as many jobs as it has free slots,
 * runs each with `runLeasedJob` (heartbeats, complete/fail), and on `stop()` stops leasing and waits
 * for the jobs in flight. Unreachable or not-yet-ready servers (a restart) are retried with backoff;
 * errors that retrying cannot fix (a wrong token, a bad type name) stop the worker.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { isJobdClientError } from "./errors.js";
import { runLeasedJob } from "./job-run.js";
import type { JobdClient, RemoteJob } from "./jobd-client.js";

/** What a handler gets besides the payload. */
export interface WorkContext {
  job: RemoteJob;
  /** Fires when the job is cancelled or its lease is lost (the next heartbeat gets 409). */
  signal: AbortSignal;
  /** Records progress (0…100); sent with the next heartbeat. */
  progress(percent: number): void;
}

/** Returns the job's result (JSON), or throws to fail it (`NonRetryableError` to fail it for good). */
export type WorkHandler<T = unknown> = (payload: unknown, ctx: WorkContext) => T | Promise<T>;

export interface WorkOptions {
  /** Jobs run at once; default 1. */
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
  /** Told of every error the worker handles itself (retries, lost leases); default `console.error`. */
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

export class Worker {
  readonly workerId: string;
  /** Resolves once the worker stopped leasing and every job it held is reported. */
  readonly stopped: Promise<void>;
  private readonly settings: WorkerSettings;
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();

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
    if (options.signal?.aborted) this.stopping.abort();
    options.signal?.addEventListener("abort", () => this.stopping.abort(), { once: true });
    this.stopped = this.leaseLoop();
  }

  /** How many jobs are running now. */
  get active(): number {
    return this.running.size;
  }

  /** Stops leasing, lets running jobs finish and report, then resolves. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping.abort();
    return this.stopped;
  }

  private async leaseLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      if (this.running.size >= this.settings.concurrency) await Promise.race(this.running);
      try {
        const jobs = await this.leaseSome();
        failures = 0;
        for (const job of jobs) this.track(runLeasedJob(this.client, job, this.handler, this.settings));
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.settings.onError(error);
        if (!isJobdClientError(error) || !error.transient) break;
        await this.pause(Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures++));
      }
    }
    await Promise.all(this.running);
  }

  private leaseSome(): Promise<RemoteJob[]> {
    const { workerId, concurrency, leaseMs, waitMs, queues } = this.settings;
    return this.client.lease(
      {
        worker_id: workerId,
        types: this.types,
        ...(queues && { queues }),
        max_jobs: Math.min(100, concurrency - this.running.size),
        lease_ms: leaseMs,
        wait_ms: waitMs,
      },
      this.stopping.signal,
    );
  }

  private track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}

/**
 * One leased job in a remote worker: wait for a handler slot, run the handler while the worker's shared
 * `Heartbeats` renews the lease (from the lease on, so a job leased ahead keeps its lease while it
 * waits; carrying the latest progress), abort the handler's signal when a heartbeat is refused
 * (cancelled, lease lost), free the handler's slot as soon as it returns, and report the outcome once —
 * retrying while the server is unreachable (a restart), for as long as the lease may still be valid,
 * because the lease survives the server's restart.
 *
 * A refusal that means "this lease is no longer yours" (409 `conflict`: cancelled, expired, re-leased;
 * 404 `not_found`: cancelled and deleted) is normal life for a worker: the run ends quietly, without
 * telling `onError`, which hears only of errors (an unreachable server, a refusal for another reason).
 * A run can also be superseded by its worker (`supersede()`) when a later lease hands the worker the
 * same job again: its signal aborts and it sends nothing more, neither heartbeats nor its outcome.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { checkProgress } from "../domain/transitions.js";
import { isJobdClientError, isRetryable } from "./errors.js";
import type { Beating, Heartbeats } from "./heartbeats.js";
import type { JobdClient, RemoteJob } from "./jobd-client.js";
import type { WorkerSettings, WorkHandler } from "./worker.js";

/** The FailBody limit on an error message. */
const MAX_ERROR_LENGTH = 65_536;

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/** What a leased job shares with its worker. */
export interface JobRunHooks {
  heartbeats: Heartbeats;
  /** Resolves when the handler may start (a slot is free). */
  slot: () => Promise<void>;
  /** Called when the handler starts (not for a run cancelled or superseded while it waited). */
  started: () => void;
  /** Called once the handler has returned or thrown, before the outcome is reported. */
  handlerDone: () => void;
}

/** One leased job, from its lease to its reported outcome. */
export class LeasedJob implements Beating {
  private readonly lease: { worker_id: string; attempt: number };
  /**
   * The handler's `signal`: aborted when a heartbeat is refused or the run is superseded. Once it is
   * aborted the run sends nothing more (its lease is gone, or belongs to the run that superseded it).
   */
  private readonly lost = new AbortController();
  private leaseEnds: number;
  private progress: number | undefined;
  private sentProgress: number | undefined;
  private beating = false;
  lastBeatAt = Date.now();

  constructor(
    private readonly client: JobdClient,
    private readonly job: RemoteJob,
    private readonly settings: WorkerSettings,
  ) {
    this.lease = { worker_id: settings.workerId, attempt: job.attempts };
    this.leaseEnds = job.lease_expires_at ? Date.parse(job.lease_expires_at) : Date.now() + settings.leaseMs;
  }

  /** Runs the job to its reported outcome; never throws (problems go to `onError`). */
  async run(handler: WorkHandler, hooks: JobRunHooks): Promise<void> {
    hooks.heartbeats.add(this);
    await hooks.slot();
    // Cancelled, its lease lost or superseded while it waited for the slot: the handler never starts.
    const outcome = this.lost.signal.aborted ? undefined : await this.runHandler(handler, hooks);
    hooks.heartbeats.delete(this);
    hooks.handlerDone();
    // The lease is gone (or the heartbeat's refusal was told to onError), or another run now holds
    // it: this run's outcome must not be sent.
    if (!outcome || this.lost.signal.aborted) return;
    await this.report(outcome);
  }

  /**
   * The worker leased this job again while this run still holds it. The new lease may carry the same
   * worker_id and attempt (a manual retry restarts attempts at 0), so the server would take this run's
   * heartbeats and outcome for the new run's: abort the handler and send nothing more.
   */
  supersede(reason: Error): void {
    this.lost.abort(reason);
  }

  private async runHandler(handler: WorkHandler, hooks: JobRunHooks): Promise<Outcome> {
    hooks.started();
    const ctx = {
      job: this.job,
      signal: this.lost.signal,
      // Checked here, so a bad value throws to the handler instead of failing the next heartbeat (a 400).
      progress: (n: number) => {
        this.progress = checkProgress(n);
      },
    };
    try {
      return { ok: true, result: await handler(this.job.payload, ctx) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Extends the lease, carrying progress when it changed; a refusal (409 and the like) aborts the run. */
  async heartbeat(): Promise<void> {
    if (this.beating || this.lost.signal.aborted) return;
    this.beating = true;
    this.lastBeatAt = Date.now();
    const progress = this.progress !== this.sentProgress ? this.progress : undefined;
    try {
      const updated = await this.client.heartbeat(this.job.id, {
        ...this.lease,
        ...(progress !== undefined && { progress }),
      });
      this.sentProgress = progress ?? this.sentProgress;
      if (updated.lease_expires_at) this.leaseEnds = Date.parse(updated.lease_expires_at);
    } catch (error) {
      // Not ours any more (cancelled, expired, re-leased) is normal: abort the handler, quietly.
      // Another refusal aborts it too, and is an error; unreachable: try again at the next beat.
      if (!leaseGone(error)) this.settings.onError(error, this.job);
      if (isJobdClientError(error) && !error.transient) this.lost.abort(error);
    } finally {
      this.beating = false;
    }
  }

  /**
   * Completes or fails the job; while the server is unreachable, retries until the lease would have
   * ended — unless the run is superseded meanwhile.
   */
  private async report(outcome: Outcome): Promise<void> {
    for (let tries = 0; !this.lost.signal.aborted; tries++) {
      try {
        await this.send(outcome);
        return;
      } catch (error) {
        if (leaseGone(error)) return; // cancelled or expired meanwhile, or already reported: nothing to do
        this.settings.onError(error, this.job);
        const retry = isJobdClientError(error) && error.transient && Date.now() < this.leaseEnds;
        if (!retry) return;
        await sleep(Math.min(2_000, 100 * 2 ** tries));
      }
    }
  }

  private send(outcome: Outcome): Promise<RemoteJob> {
    const { client, job, lease } = this;
    if (outcome.ok)
      return client.complete(job.id, {
        ...lease,
        ...(outcome.result !== undefined && { result: outcome.result }),
      });
    return client.fail(job.id, {
      ...lease,
      error: errorMessage(outcome.error),
      retryable: isRetryable(outcome.error),
    });
  }
}

/** A refusal meaning the lease is no longer this run's: 409 (cancelled, expired, re-leased) or 404 (deleted). */
function leaseGone(error: unknown): boolean {
  return isJobdClientError(error) && (error.code === "conflict" || error.code === "not_found");
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return (text || "failed").slice(0, MAX_ERROR_LENGTH);
}

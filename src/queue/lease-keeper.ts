/**
 * Renews the leases of every in-process run, and of every job claimed for one but not started yet, with
 * ONE shared interval (not a timer per job). A lease is renewed well before it ends — every third of its
 * length — so a run only loses it when the process stalls for longer than that, or when the job was
 * taken away (cancelled, re-leased after expiry, or deleted); the run is then aborted as "lease lost"
 * and writes nothing.
 */
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.js";
import type { Job } from "../domain/job.js";
import { heartbeat, type LeaseRef } from "../domain/transitions.js";
import type { JobStore } from "../store/job-store.js";
import { isLostLease } from "./executor.js";

/** A job this server holds the lease of. */
export interface HeldLease {
  readonly job: Job;
  readonly lease: LeaseRef;
}

export interface LeaseKeeperOptions {
  store: JobStore;
  clock: Clock;
  /** The leases to renew now. */
  held: () => Iterable<HeldLease>;
  /** Called with the id of a job whose lease was lost (taken away). */
  lost: (id: string) => void;
  /** The length of an in-process lease; renewed every third of it. */
  leaseMs: number;
  log: Logger;
}

/** The single timer that keeps in-process leases alive. */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaseKeeperOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.renewing = this.renewAll();
    }, this.options.leaseMs / 3);
    this.timer.unref();
  }

  /** Stops renewing; waits for a renewal round in progress. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.renewing;
  }

  /** One round: extends every in-flight lease. */
  async renewAll(): Promise<void> {
    await Promise.all([...this.options.held()].map((held) => this.renew(held)));
  }

  private async renew({ job, lease }: HeldLease): Promise<void> {
    const { store, clock, lost, log } = this.options;
    try {
      await store.update(job.id, (current) => heartbeat(current, lease, { now: clock.now() }));
    } catch (error) {
      if (isLostLease(error)) lost(job.id);
      else log.warn({ err: error, jobId: job.id }, "could not renew a lease; will try again");
    }
  }
}

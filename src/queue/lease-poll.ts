/**
 * The long poll of `POST /api/workers/lease` with `wait_ms`: claim now, and if nothing is due, wait until
 * a matching job is — woken by jobs queued in this process (WorkSignal) and by one timer for the next
 * `runAt` the store knows of — or until the deadline or the AbortSignal, then claim again.
 */
import type { Clock } from "../domain/clock.js";
import type { Job } from "../domain/job.js";
import type { JobStore } from "../store/job-store.js";
import { DueTimer } from "./due-timer.js";
import { matchesWork, type WorkFilter, type WorkSignal } from "./work-signal.js";

export interface LeasePollDeps {
  store: JobStore;
  clock: Clock;
  work: WorkSignal;
}

/** Calls `claimNow` until it returns jobs, `waitMs` has passed, or `signal` fires; the last claim's jobs. */
export async function claimWithWait(
  claimNow: () => Promise<Job[]>,
  filter: WorkFilter & { waitMs: number },
  deps: LeasePollDeps,
  signal?: AbortSignal,
): Promise<Job[]> {
  const deadline = deps.clock.now() + filter.waitMs;
  for (;;) {
    if (signal?.aborted) return []; // the client is gone: lease nothing it would never hear about
    const jobs = await claimNow();
    if (jobs.length > 0 || signal?.aborted || deps.clock.now() >= deadline) return jobs;
    await waitForWork(filter, deadline, deps, signal);
  }
}

/** Resolves when a job matching `filter` may be due, at `deadline`, or when `signal` fires. */
function waitForWork(filter: WorkFilter, deadline: number, deps: LeasePollDeps, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      timer.clear();
      unsubscribe();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = new DueTimer(deps.clock, done);
    const wakeAt = (time: number) => {
      if (!settled) timer.armAt(time);
    };
    const unsubscribe = deps.work.subscribe((work) => {
      if (matchesWork(filter, work)) wakeAt(work.runAt);
    });
    signal?.addEventListener("abort", done, { once: true });
    wakeAt(deadline);
    // Subscribed first, then asked: a job queued in between is seen by one or the other.
    deps.store.nextRunAt({ type: filter.types, queue: filter.queues }).then(
      (next) => next !== null && wakeAt(next),
      () => wakeAt(deps.clock.now() + 1_000), // a failing store is asked again, not hammered
    );
  });
}

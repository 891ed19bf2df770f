/**
 * One leased job in a remote worker: run the handler, heartbeat every third of the lease (carrying the
 * latest progress), abort the handler's signal when a heartbeat is refused (cancelled, lease lost), and
 * report the outcome exactly once — retrying while the server is unreachable (a restart), for as long
 * as the lease may still be valid, because the lease survives the server's restart.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isJobdClientError, isRetryable } from "./errors.js";
import type { JobdClient, RemoteJob } from "./jobd-client.js";
import type { WorkerSettings, WorkHandler } from "./worker.js";

/** The FailBody limit on an error message. */
const MAX_ERROR_LENGTH = 65_536;

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/** Runs one leased job to its reported outcome; never throws (problems go to `onError`). */
export async function runLeasedJob(
  client: JobdClient,
  job: RemoteJob,
  handler: WorkHandler,
  settings: WorkerSettings,
): Promise<void> {
  const lease = { worker_id: settings.workerId, attempt: job.attempts };
  const lost = new AbortController();
  let leaseEnds = job.lease_expires_at ? Date.parse(job.lease_expires_at) : Date.now() + settings.leaseMs;
  let progress: number | undefined;
  let sentProgress: number | undefined;
  let beating = false;

  const beat = async () => {
    if (beating || lost.signal.aborted) return;
    beating = true;
    const report = progress !== sentProgress ? progress : undefined;
    try {
      const updated = await client.heartbeat(job.id, {
        ...lease,
        ...(report !== undefined && { progress: report }),
      });
      sentProgress = report ?? sentProgress;
      if (updated.lease_expires_at) leaseEnds = Date.parse(updated.lease_expires_at);
    } catch (error) {
      if (isJobdClientError(error) && !error.transient) lost.abort(error);
      else settings.onError(error, job);
    } finally {
      beating = false;
    }
  };

  const timer = setInterval(beat, Math.max(250, Math.floor(settings.leaseMs / 3)));
  const outcome = await runHandler(handler, job, lost.signal, (n) => {
    progress = n;
  });
  clearInterval(timer);
  if (lost.signal.aborted) {
    settings.onError(lost.signal.reason, job); // the server moved on; reporting would only get 409
    return;
  }
  await reportOutcome(client, job, lease, outcome, () => leaseEnds, settings);
}

async function runHandler(
  handler: WorkHandler,
  job: RemoteJob,
  signal: AbortSignal,
  progress: (n: number) => void,
): Promise<Outcome> {
  try {
    return { ok: true, result: await handler(job.payload, { job, signal, progress }) };
  } catch (error) {
    return { ok: false, error };
  }
}

async function reportOutcome(
  client: JobdClient,
  job: RemoteJob,
  lease: { worker_id: string; attempt: number },
  outcome: Outcome,
  leaseEnds: () => number,
  settings: WorkerSettings,
): Promise<void> {
  const report = () =>
    outcome.ok
      ? client.complete(job.id, { ...lease, ...(outcome.result !== undefined && { result: outcome.result }) })
      : client.fail(job.id, {
          ...lease,
          error: errorMessage(outcome.error),
          retryable: isRetryable(outcome.error),
        });
  for (let tries = 0; ; tries++) {
    try {
      await report();
      return;
    } catch (error) {
      settings.onError(error, job);
      const retry = isJobdClientError(error) && error.transient && Date.now() < leaseEnds();
      if (!retry) return;
      await sleep(Math.min(2_000, 100 * 2 ** tries));
    }
  }
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return (text || "failed").slice(0, MAX_ERROR_LENGTH);
}

/// <reference path="../compare/autocannon.d.ts" />
/**
 * The three HTTP workloads against one running `jobd serve`: single creates and batch creates with
 * autocannon, and remote workers leasing and completing jobs (lease → complete round trips).
 */
import autocannon from "autocannon";
import { postJson } from "./post-json.js";

/** Knobs of one measurement round. */
export interface WorkloadSettings {
  durationS: number;
  singleConnections: number;
  batchConnections: number;
  batchSize: number;
  workers: number;
  maxJobs: number;
  /** Jobs stored before the worker loop starts (it ends early when they run out). */
  workerJobs: number;
}

const singleBody = JSON.stringify({ type: "bench", payload: { n: 1 } });
const batchBody = (size: number) =>
  JSON.stringify({ jobs: Array.from({ length: size }, (_, n) => ({ type: "bench", payload: { n } })) });

/** 2xx requests per second over one autocannon run; throws when the server answered any error. */
async function requestsPerSec(url: string, body: string, connections: number, durationS: number) {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: durationS,
  });
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return result.requests.total / durationS;
}

/** Jobs/s created by `POST /api/jobs`, one job per request. */
export function singleCreates(base: string, s: WorkloadSettings): Promise<number> {
  return requestsPerSec(`${base}/api/jobs`, singleBody, s.singleConnections, s.durationS);
}

/** Jobs/s created by `POST /api/jobs/batch`, `batchSize` jobs per request. */
export async function batchCreates(base: string, s: WorkloadSettings): Promise<number> {
  const perSec = await requestsPerSec(
    `${base}/api/jobs/batch`,
    batchBody(s.batchSize),
    s.batchConnections,
    s.durationS,
  );
  return perSec * s.batchSize;
}

interface LeasedJob {
  id: string;
  attempts: number;
}

/**
 * Stores `workerJobs` jobs of type `work`, then runs `workers` loops of lease (max_jobs) → complete
 * every leased job at once, until the time is up or nothing is left; jobs completed per second.
 */
export async function leaseComplete(base: string, s: WorkloadSettings): Promise<number> {
  const chunk = Array.from({ length: 1_000 }, (_, n) => ({ type: "work", payload: { n } }));
  for (let stored = 0; stored < s.workerJobs; stored += chunk.length)
    await postJson(`${base}/api/jobs/batch`, { jobs: chunk });
  const start = performance.now();
  const deadline = start + s.durationS * 1000;
  let completed = 0;
  const worker = async (workerId: string) => {
    while (performance.now() < deadline) {
      const { jobs } = await postJson<{ jobs: LeasedJob[] }>(`${base}/api/workers/lease`, {
        worker_id: workerId,
        max_jobs: s.maxJobs,
      });
      if (jobs.length === 0) return;
      await Promise.all(
        jobs.map((job) =>
          postJson(`${base}/api/jobs/${job.id}/complete`, {
            worker_id: workerId,
            attempt: job.attempts,
            result: null,
          }),
        ),
      );
      completed += jobs.length;
    }
  };
  await Promise.all(Array.from({ length: s.workers }, (_, i) => worker(`bench-worker-${i}`)));
  return completed / ((performance.now() - start) / 1000);
}

/// <reference path="../compare/autocannon.d.ts" />
/**
 * The three HTTP workloads against one running `jobd serve`: single creates and batch creates with
 * autocannon, and remote workers leasing and completing jobs (lease → complete round trips). Each
 * reports the jobs it handled and the seconds it took; setup (storing the jobs the workers take) is
 * a separate step, so the server's CPU can be read around the measured part alone.
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

/** What one measurement did. */
export interface Measured {
  jobs: number;
  seconds: number;
}

/** A workload: optional unmeasured setup, then the measured part. */
export interface Workload {
  prepare?(base: string, s: WorkloadSettings): Promise<void>;
  measure(base: string, s: WorkloadSettings): Promise<Measured>;
}

const singleBody = JSON.stringify({ type: "bench", payload: { n: 1 } });
const batchBody = (size: number) =>
  JSON.stringify({ jobs: Array.from({ length: size }, (_, n) => ({ type: "bench", payload: { n } })) });

/** 2xx answers over one autocannon run; throws when the server answered any error. */
async function answered(url: string, body: string, connections: number, durationS: number) {
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
  return result.requests.total;
}

/** `POST /api/jobs`, one job per request. */
export const singleCreates: Workload = {
  async measure(base, s) {
    const requests = await answered(`${base}/api/jobs`, singleBody, s.singleConnections, s.durationS);
    return { jobs: requests, seconds: s.durationS };
  },
};

/** `POST /api/jobs/batch`, `batchSize` jobs per request. */
export const batchCreates: Workload = {
  async measure(base, s) {
    const body = batchBody(s.batchSize);
    const requests = await answered(`${base}/api/jobs/batch`, body, s.batchConnections, s.durationS);
    return { jobs: requests * s.batchSize, seconds: s.durationS };
  },
};

interface LeasedJob {
  id: string;
  attempts: number;
}

/**
 * `workers` loops of lease (max_jobs) → complete every leased job at once, until the time is up or
 * nothing is left to lease; `workerJobs` jobs are stored first.
 */
export const leaseComplete: Workload = {
  async prepare(base, s) {
    const chunk = Array.from({ length: 1_000 }, (_, n) => ({ type: "work", payload: { n } }));
    for (let stored = 0; stored < s.workerJobs; stored += chunk.length)
      await postJson(`${base}/api/jobs/batch`, { jobs: chunk });
  },
  async measure(base, s) {
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
    return { jobs: completed, seconds: (performance.now() - start) / 1000 };
  },
};

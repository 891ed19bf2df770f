/// <reference path="../compare/autocannon.d.ts" />
/**
 * The three HTTP workloads against one running `jobd serve`: single and batch creates with autocannon
 * (bench/compare's `created`), and remote workers leasing and completing jobs (lease → complete round
 * trips). Each reports the jobs it handled and the seconds it took; setup (storing the jobs the
 * workers take) is a separate step, so the server's CPU can be read around the measured part alone.
 */
import { created } from "../compare/http-create.js";
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

/** `POST /api/jobs`, one job per request; a second of it first warms the server up (JIT, lazy setup). */
export const singleCreates: Workload = {
  async prepare(base, s) {
    await created(`${base}/api/jobs`, singleBody, s.singleConnections, 1);
  },
  async measure(base, s) {
    const perSec = await created(`${base}/api/jobs`, singleBody, s.singleConnections, s.durationS);
    return { jobs: perSec * s.durationS, seconds: s.durationS };
  },
};

/** `POST /api/jobs/batch`, `batchSize` jobs per request, after one unmeasured batch. */
export const batchCreates: Workload = {
  async prepare(base, s) {
    await postJson(`${base}/api/jobs/batch`, JSON.parse(batchBody(s.batchSize)));
  },
  async measure(base, s) {
    const body = batchBody(s.batchSize);
    const perSec = await created(`${base}/api/jobs/batch`, body, s.batchConnections, s.durationS);
    return { jobs: perSec * s.durationS * s.batchSize, seconds: s.durationS };
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

/**
 * HTTP create throughput: autocannon (installed in the repo root) against `jobd serve` on SQLite
 * (durable, synchronous=FULL), client and server on the same cores. Single creates over 50
 * connections, then batch creates of 1,000 jobs.
 */
import autocannon from "autocannon";
import { startJobdServe } from "./jobd-serve-process.js";
import type { HttpCreateResult } from "./results.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

const SINGLE_CONNECTIONS = 50;
const BATCH_CONNECTIONS = 8;
const BATCH_SIZE = 1_000;

const singleBody = JSON.stringify({ type: "bench", payload: { n: 1 } });
const batchBody = JSON.stringify({
  jobs: Array.from({ length: BATCH_SIZE }, (_, n) => ({ type: "bench", payload: { n } })),
});

/** Requests/s of 201 answers over one autocannon run; throws when the server answered errors. */
export async function created(
  url: string,
  body: string,
  connections: number,
  durationS: number,
): Promise<number> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: durationS,
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`HTTP create: ${result.errors} errors, ${result.non2xx} non-2xx answers from ${url}`);
  }
  return result.requests.total / durationS;
}

/** Runs the HTTP create benchmark `runs` times (a fresh data directory per run). */
export async function measureHttpCreate(
  runs: number,
  quick: boolean,
  log: (line: string) => void,
): Promise<HttpCreateResult> {
  const durationS = quick ? 3 : 5;
  const result: HttpCreateResult = {
    singleJobsPerSec: [],
    batchJobsPerSec: [],
    connections: SINGLE_CONNECTIONS,
    batchConnections: BATCH_CONNECTIONS,
    batchSize: BATCH_SIZE,
    durationS,
  };
  for (let run = 1; run <= runs; run++) {
    const dir = makeTempDir("jobd-http-create");
    const server = await startJobdServe(dir);
    try {
      result.singleJobsPerSec.push(
        await created(`${server.url}/api/jobs`, singleBody, SINGLE_CONNECTIONS, durationS),
      );
      const batchRequestsPerSec = await created(
        `${server.url}/api/jobs/batch`,
        batchBody,
        BATCH_CONNECTIONS,
        durationS,
      );
      result.batchJobsPerSec.push(batchRequestsPerSec * BATCH_SIZE);
      log(
        `HTTP run ${run}/${runs}: single ${result.singleJobsPerSec.at(-1)?.toFixed(0)} jobs/s, batch ${result.batchJobsPerSec.at(-1)?.toFixed(0)} jobs/s`,
      );
    } finally {
      await server.stop();
      removeTempDir(dir);
    }
  }
  return result;
}

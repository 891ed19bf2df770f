/**
 * The large-store measurements: a store holding `total` jobs (a history mix, 5% still queued) is seeded,
 * closed and reopened (timed), then history pages, counts and claims are timed against it.
 */
import type { JobStore, QueryParams } from "../../src/store/job-store.js";
import { quantile } from "../compare/stats.js";
import { historyJob } from "./jobs.js";
import { claimAndComplete, type Rate } from "./workloads.js";

const SEED_BATCH = 10_000;
const HOUR_MS = 3_600_000;

/** p50/p99 of one timed read, over `samples` runs. */
export interface Latency {
  label: string;
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

export interface LargeStoreFigures {
  total: number;
  seedSeconds: number;
  /** `openStore` on the seeded data directory. */
  openMs: number;
  /** The first `counts()` after opening (cold page cache of the process). */
  firstCountsMs: number;
  reads: Latency[];
  claimComplete: Rate;
}

/** Inserts `total` history jobs spread over the last 30 days, in batches. */
export async function seed(store: JobStore, total: number): Promise<number> {
  const start = performance.now();
  const now = Date.now();
  const spanMs = 30 * 24 * HOUR_MS;
  for (let done = 0; done < total; done += SEED_BATCH) {
    const size = Math.min(SEED_BATCH, total - done);
    const jobs = Array.from({ length: size }, (_, k) => {
      const i = done + k;
      return historyJob(i, now, spanMs - Math.floor((i / total) * spanMs));
    });
    await store.createMany(jobs);
  }
  return (performance.now() - start) / 1000;
}

const PAGE = { limit: 50, offset: 0 };

/** The history reads the dashboard and API make, by filter. */
const HISTORY_READS: ReadonlyArray<[string, QueryParams]> = [
  ["newest page (50)", PAGE],
  ["page 100 (offset 4,950)", { limit: 50, offset: 4_950 }],
  ["status=failed", { ...PAGE, status: ["failed"] }],
  ["status=queued,processing", { ...PAGE, status: ["queued", "processing"] }],
  ["type=bench.t3", { ...PAGE, type: ["bench.t3"] }],
  ["queue=q1, status=completed", { ...PAGE, queue: ["q1"], status: ["completed"] }],
];

async function time(label: string, samples: number, read: () => Promise<unknown>): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await read();
    times.push(performance.now() - start);
  }
  return { label, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99), samples };
}

/** Times every history read, counts and nextRunAt `samples` times each. */
export async function timeReads(store: JobStore, samples: number): Promise<Latency[]> {
  const reads: Latency[] = [];
  for (const [label, params] of HISTORY_READS)
    reads.push(await time(`history: ${label}`, samples, () => store.query(params)));
  reads.push(await time("counts()", samples, () => store.counts()));
  reads.push(await time("nextRunAt(type)", samples, () => store.nextRunAt({ type: ["bench.t3"] })));
  return reads;
}

/** Seeds, reopens (timed) and measures a store of `total` jobs; `open` opens the same data directory. */
export async function measureLargeStore(
  open: () => Promise<JobStore>,
  total: number,
  samples: number,
  workers: number,
): Promise<LargeStoreFigures> {
  const seeding = await open();
  const seedSeconds = await seed(seeding, total);
  await seeding.close();
  let start = performance.now();
  const store = await open();
  const openMs = performance.now() - start;
  start = performance.now();
  await store.counts();
  const firstCountsMs = performance.now() - start;
  const reads = await timeReads(store, samples);
  const claimComplete = await claimAndComplete(store, Math.min(10_000, Math.floor(total / 20)), workers);
  await store.close();
  return { total, seedSeconds, openMs, firstCountsMs, reads, claimComplete };
}

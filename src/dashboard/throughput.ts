/**
 * Completed and failed jobs per 10-second bucket over the last ten minutes. Seeded from the history
 * at start (by `finished_at`), then fed by the live events; each finish is counted once, whichever
 * source saw it first.
 */
import type { JobJson } from "./wire.js";

export const BUCKET_MS = 10_000;
export const BUCKET_COUNT = 60;

/** One bucket of the chart. */
export interface Bucket {
  /** Epoch ms where the bucket starts. */
  start: number;
  completed: number;
  failed: number;
}

/** The outcomes the chart counts. */
export type Outcome = "completed" | "failed";

/** Finish counts keyed by bucket start, forgetting what slides out of the window. */
export class Throughput {
  private readonly buckets = new Map<number, Bucket>();
  private readonly seen = new Set<string>();

  /** Counts a finished job once (the key is its id and finish time). */
  record(job: JobJson, outcome: Outcome, now: number): void {
    const finishedAt = job.finished_at ? Date.parse(job.finished_at) : now;
    const key = `${job.id}@${finishedAt}`;
    if (this.seen.has(key) || finishedAt < windowStart(now)) return;
    this.seen.add(key);
    const start = Math.floor(finishedAt / BUCKET_MS) * BUCKET_MS;
    const bucket = this.buckets.get(start) ?? { start, completed: 0, failed: 0 };
    bucket[outcome] += 1;
    this.buckets.set(start, bucket);
  }

  /** The last BUCKET_COUNT buckets ending with the current one, oldest first. */
  series(now: number): Bucket[] {
    this.forgetBefore(windowStart(now));
    const first = windowStart(now);
    return Array.from({ length: BUCKET_COUNT }, (_, i) => {
      const start = first + i * BUCKET_MS;
      return this.buckets.get(start) ?? { start, completed: 0, failed: 0 };
    });
  }

  private forgetBefore(start: number): void {
    for (const key of this.buckets.keys()) if (key < start) this.buckets.delete(key);
    if (this.seen.size > 50_000) this.seen.clear(); // Old keys only guard against double counts at start.
  }
}

/** The start of the oldest bucket still shown. */
function windowStart(now: number): number {
  return (Math.floor(now / BUCKET_MS) - BUCKET_COUNT + 1) * BUCKET_MS;
}

/** The throughput buckets: 10 s bars over ten minutes, each finish counted once. */
import { describe, expect, it } from "vitest";
import { BUCKET_COUNT, BUCKET_MS, Throughput } from "../../src/dashboard/throughput.js";
import type { JobJson } from "../../src/domain/job.js";

const NOW = Date.parse("2026-11-28T12:00:05Z");
const finished = (id: string, at: number) => ({ id, finished_at: new Date(at).toISOString() }) as JobJson;

describe("Throughput", () => {
  it("counts completed and failed jobs in the bucket of their finish time", () => {
    const throughput = new Throughput();
    throughput.record(finished("a", NOW - 1_000), "completed", NOW);
    throughput.record(finished("b", NOW - 2_000), "failed", NOW);
    throughput.record(finished("c", NOW - 15_000), "completed", NOW);
    const series = throughput.series(NOW);
    expect(series).toHaveLength(BUCKET_COUNT);
    expect(series.at(-1)).toMatchObject({ completed: 1, failed: 1 });
    expect(series.at(-2)).toMatchObject({ completed: 1, failed: 0 });
    expect(series.at(-1)?.start).toBe(Math.floor(NOW / BUCKET_MS) * BUCKET_MS);
  });

  it("counts a finish seen twice (history and event) once, and forgets what left the window", () => {
    const throughput = new Throughput();
    const job = finished("a", NOW - 1_000);
    throughput.record(job, "completed", NOW);
    throughput.record(job, "completed", NOW);
    throughput.record(finished("old", NOW - BUCKET_COUNT * BUCKET_MS - 1), "completed", NOW);
    expect(throughput.series(NOW).reduce((n, b) => n + b.completed, 0)).toBe(1);
    const later = NOW + BUCKET_COUNT * BUCKET_MS;
    expect(throughput.series(later).reduce((n, b) => n + b.completed, 0)).toBe(0);
  });
});

/** The prefetch depth follows the handlers' recent pace, within bounds. */
import { describe, expect, test } from "vitest";
import type { Job } from "../../src/domain/job.js";
import { ClaimBuffer } from "../../src/queue/claim-buffer.js";
import { MAX_PREFETCH, PREFETCH_HORIZON_MS } from "../../src/queue/prefetch-pace.js";

const job = (id: string) => ({ id }) as Job;

function started(buffer: ClaimBuffer, count: number): void {
  for (let i = 0; i < count; i++) {
    buffer.add(job(`j${i}`));
    buffer.take();
  }
}

describe("ClaimBuffer", () => {
  test("holds nothing ahead until runs have started, then what started within the last horizon", () => {
    let now = 1_000;
    const buffer = new ClaimBuffer(() => now);
    expect(buffer.target).toBe(0);
    started(buffer, 30);
    expect(buffer.target).toBe(30);
    now += PREFETCH_HORIZON_MS; // a new window: the last one's pace still counts
    started(buffer, 5);
    expect(buffer.target).toBe(30);
    now += PREFETCH_HORIZON_MS;
    expect(buffer.target).toBe(5);
  });

  test("slow handlers (or none for a while) get no prefetch; the depth is capped", () => {
    let now = 0;
    const buffer = new ClaimBuffer(() => now);
    started(buffer, 40);
    now += 3 * PREFETCH_HORIZON_MS; // a window that ended long ago says nothing about now
    expect(buffer.target).toBe(0);
    started(buffer, MAX_PREFETCH + 100);
    expect(buffer.target).toBe(MAX_PREFETCH);
  });

  test("takes in claim order; drop and takeAll remove", () => {
    const buffer = new ClaimBuffer(() => 0);
    for (const id of ["a", "b", "c", "d"]) buffer.add(job(id));
    expect(buffer.drop("b")).toBe(true);
    expect(buffer.drop("b")).toBe(false);
    expect(buffer.take()?.id).toBe("a");
    expect(buffer.takeAll().map((j) => j.id)).toEqual(["c", "d"]);
    expect(buffer.size).toBe(0);
    expect(buffer.take()).toBeUndefined();
  });

  test("gives up the jobs claimed before a time, oldest first", () => {
    const buffer = new ClaimBuffer(() => 0);
    for (const [id, startedAt] of [
      ["a", 10],
      ["b", 20],
      ["c", 30],
    ] as const)
      buffer.add({ id, startedAt } as Job);
    expect(buffer.takeClaimedBefore(20).map((j) => j.id)).toEqual(["a", "b"]);
    expect(buffer.oldest()?.id).toBe("c");
  });
});

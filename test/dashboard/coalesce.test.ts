/** The stats refresh limiter: a burst of calls costs two runs, spaced by the minimum gap. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { coalesce } from "../../src/dashboard/coalesce.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("coalesce", () => {
  it("runs at once, folds a burst into one more run, and keeps the gap", async () => {
    const starts: number[] = [];
    const refresh = coalesce(async () => {
      starts.push(Date.now());
    }, 250);
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toEqual([t0]);
    for (let i = 0; i < 1000; i++) refresh();
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts).toEqual([t0, t0 + 250]);
    refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toHaveLength(3);
  });

  it("keeps running after a failed run", async () => {
    let runs = 0;
    const refresh = coalesce(async () => {
      runs += 1;
      throw new Error("offline");
    }, 10);
    refresh();
    await vi.advanceTimersByTimeAsync(20);
    refresh();
    await vi.advanceTimersByTimeAsync(20);
    expect(runs).toBe(2);
  });
});

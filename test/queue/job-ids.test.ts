import { validate, version } from "uuid";
import { expect, test } from "vitest";
import { newJobId } from "../../src/queue/job-ids.js";

test("job ids are UUID v7, unique and strictly increasing, across many pool refills and within one millisecond", () => {
  const ids = Array.from({ length: 5_000 }, newJobId); // ~10 refills of the random pool
  for (const id of ids) {
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
  }
  expect(new Set(ids).size).toBe(ids.length);
  const outOfOrder = ids.findIndex((id, i) => i > 0 && (ids[i - 1] as string) >= id);
  expect(outOfOrder).toBe(-1);
});

test("a job id carries the current time in its first 48 bits", () => {
  const before = Date.now();
  const id = newJobId();
  const ms = Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
  expect(ms).toBeGreaterThanOrEqual(before);
  expect(ms).toBeLessThanOrEqual(Date.now() + 1);
});

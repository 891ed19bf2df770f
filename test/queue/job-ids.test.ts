import { randomFillSync } from "node:crypto";
import { v7, validate, version } from "uuid";
import { expect, test } from "vitest";
import { newJobId, uuidV7Text } from "../../src/queue/job-ids.js";

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

test("the id text is uuid's v7() text for the same millisecond, sequence and random bytes", () => {
  const random = new Uint8Array(32);
  const cases: [number, number][] = [
    [0, 0],
    [1, 1],
    [Date.now(), 0x7fffffff],
    [2 ** 48 - 1, 0x12345678],
    [1_700_000_000_123, 0x40000000],
    [5, -(2 ** 31)], // what the sequence becomes after 0x7fffffff
  ];
  for (let i = 0; i < 200; i++)
    cases.push([Math.floor(Math.random() * 2 ** 48), Math.floor(Math.random() * 2 ** 31)]);
  for (const [msecs, seq] of cases) {
    randomFillSync(random);
    const expected = v7({ msecs, seq, random: random.subarray(16) });
    expect(uuidV7Text(msecs, seq, random, 16)).toBe(expected);
  }
});

import { expect, test } from "vitest";
import { type Job, toJobJson } from "../../src/domain/job.js";
import { newJob } from "../../src/domain/new-job.js";

const job = (now: number): Job =>
  newJob({ type: "t" }, { id: "01a22397-88f7-76f9-8a2c-a699d734d67f", now, maxPayloadBytes: 1000 });

test("toJobJson writes each timestamp as RFC 3339, also when instants repeat and alternate", () => {
  const a = Date.UTC(2026, 10, 28, 12, 0, 0, 1);
  const b = a + 1;
  const seen = [a, a, b, a, b, b].map((ms) => toJobJson(job(ms)).created_at);
  expect(seen).toEqual([a, a, b, a, b, b].map((ms) => new Date(ms).toISOString()));
  const started = { ...job(a), startedAt: b, finishedAt: a, leaseExpiresAt: b };
  expect(toJobJson(started)).toMatchObject({
    run_at: new Date(a).toISOString(),
    started_at: new Date(b).toISOString(),
    finished_at: new Date(a).toISOString(),
    lease_expires_at: new Date(b).toISOString(),
  });
});

test("toJobJson refuses an invalid time every time, not only the first", () => {
  expect(() => toJobJson(job(Number.NaN))).toThrow(RangeError);
  expect(() => toJobJson(job(Number.NaN))).toThrow(RangeError);
  expect(() => toJobJson(job(Number.POSITIVE_INFINITY))).toThrow(RangeError);
  expect(() => toJobJson(job(Number.POSITIVE_INFINITY))).toThrow(RangeError);
});

/**
 * The SQLite row mapping spells the columns out by position (job-row.ts); this checks each position
 * against FIELD_COLUMNS, the one naming of the columns, with a job whose every field is distinct.
 */
import { describe, expect, test } from "vitest";
import type { Job } from "../../src/domain/job.js";
import { FIELD_COLUMNS } from "../../src/store/job-columns.js";
import { jobToRow, rowToJob } from "../../src/store/sqlite/job-row.js";

const job: Job = {
  id: "id-1",
  type: "type-2",
  queue: "queue-3",
  payload: { payload: 4 },
  status: "processing",
  priority: 6,
  attempts: 7,
  maxAttempts: 8,
  runAt: 9,
  timeoutMs: 10,
  idempotencyKey: "key-11",
  progress: 12.5,
  result: ["result", 13],
  error: "error-14",
  workerId: "worker-15",
  leaseExpiresAt: 16,
  leaseMs: 17,
  createdAt: 18,
  updatedAt: 19,
  startedAt: 20,
  finishedAt: 21,
};

describe("SQLite rows ↔ jobs", () => {
  test("every column of a row holds the field FIELD_COLUMNS names at that position", () => {
    const row = jobToRow(job);
    expect(row).toHaveLength(FIELD_COLUMNS.length);
    FIELD_COLUMNS.forEach(([field], i) => {
      const value = job[field];
      expect(row[i], field).toEqual(
        field === "payload" || field === "result" ? JSON.stringify(value) : value,
      );
    });
  });

  test("a row reads back as the same job, with exactly the Job fields", () => {
    const read = rowToJob(jobToRow(job));
    expect(read).toEqual(job);
    expect(Object.keys(read)).toEqual(FIELD_COLUMNS.map(([field]) => field));
  });

  test("an undefined result is stored as JSON null", () => {
    const row = jobToRow({ ...job, result: undefined as unknown as null });
    expect(rowToJob(row).result).toBeNull();
  });
});

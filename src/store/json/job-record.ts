/**
 * A Job read back from jobs.json or jobs.journal, checked field by field so that a damaged file is
 * reported (by file and line) instead of loading a job the engine would trip over later.
 */
import { JOB_STATUSES, type Job, type JsonValue } from "../../domain/job.js";

/** A file jobd cannot load; names the file and line, and nothing has been changed on disk. */
export class CorruptFileError extends Error {
  override readonly name = "CorruptFileError";

  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(
      `cannot load ${file}: line ${line} ${reason}; nothing was changed. Repair or move the file, then start again`,
    );
  }
}

type FieldKind = "string" | "number" | "string?" | "number?" | "json";

const JOB_FIELDS: Record<keyof Job, FieldKind> = {
  id: "string",
  type: "string",
  queue: "string",
  payload: "json",
  status: "string",
  priority: "number",
  attempts: "number",
  maxAttempts: "number",
  runAt: "number",
  timeoutMs: "number?",
  idempotencyKey: "string?",
  progress: "number?",
  result: "json",
  error: "string?",
  workerId: "string?",
  leaseExpiresAt: "number?",
  leaseMs: "number?",
  createdAt: "number",
  updatedAt: "number",
  startedAt: "number?",
  finishedAt: "number?",
};

function fits(value: unknown, kind: FieldKind): boolean {
  if (kind === "json") return value !== undefined;
  if (value === null) return kind.endsWith("?");
  return kind.startsWith("number") ? Number.isFinite(value) : typeof value === "string";
}

/** The job `value` describes, with exactly the Job fields; throws a description of what is wrong. */
export function toJob(value: unknown): Job {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("is not a job object");
  const record = value as Record<string, unknown>;
  const job: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(JOB_FIELDS)) {
    if (!fits(record[field], kind)) throw new Error(`has a job whose "${field}" is not a valid ${kind}`);
    job[field] = record[field] as JsonValue;
  }
  if (!JOB_STATUSES.includes(job.status as Job["status"]))
    throw new Error(`has a job with the unknown status "${job.status}"`);
  return job as unknown as Job;
}

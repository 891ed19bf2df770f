/**
 * Turns create bodies (the REST API's and the library's) into new queued jobs: the schema check with a
 * message naming the field, `newJob`'s own checks, UUID v7 ids (job-ids.ts), and — for a batch — the rule that one
 * idempotency key may not appear twice in the same batch.
 */
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { invalid } from "../domain/errors.js";
import type { Job } from "../domain/job.js";
import { newJob } from "../domain/new-job.js";
import { MAX_BATCH_JOBS } from "../schemas/api.js";
import { CreateJobBody } from "../schemas/job.js";
import { describeError, fieldName } from "../schemas/validate.js";
import { newJobId } from "./job-ids.js";

const checker = TypeCompiler.Compile(CreateJobBody);

/**
 * Checks one body against the wire schema, and that it gives `run_at` or `delay_ms`, not both; `root`
 * prefixes field names (`jobs[3]`).
 */
function checkBody(body: unknown, root?: string): CreateJobBody {
  if (!checker.Check(body)) {
    const first = checker.Errors(body).First();
    throw invalid(first ? describeError(first, root) : `${root ?? "body"} is not a valid job`);
  }
  if (body.run_at !== undefined && body.delay_ms !== undefined)
    throw invalid(`give "${fieldName("/run_at", root)}" or "${fieldName("/delay_ms", root)}", not both`);
  return body;
}

/** A new job from one create body; throws `invalid_request` or `payload_too_large`. */
export function jobFromBody(body: unknown, now: number, maxPayloadBytes: number): Job {
  return newJob(checkBody(body), { id: newJobId(), now, maxPayloadBytes });
}

/** New jobs from a batch, in order; all valid or a thrown error naming the first bad field. */
export function jobsFromBodies(bodies: unknown, now: number, maxPayloadBytes: number): Job[] {
  if (!Array.isArray(bodies) || bodies.length < 1 || bodies.length > MAX_BATCH_JOBS)
    throw invalid(`"jobs" must be an array of 1 to ${MAX_BATCH_JOBS.toLocaleString("en")} create bodies`);
  const keys = new Map<string, number>();
  return bodies.map((body, i) => {
    const root = `jobs[${i}]`;
    const checked = checkBody(body, root);
    const key = checked.idempotency_key;
    if (key !== undefined && key !== null) {
      const first = keys.get(key);
      if (first !== undefined)
        throw invalid(`"${root}.idempotency_key" repeats the key of jobs[${first}] in the same batch`);
      keys.set(key, i);
    }
    return newJob(checked, { id: newJobId(), now, maxPayloadBytes }, `${root}.payload`);
  });
}

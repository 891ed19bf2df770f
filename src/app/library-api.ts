/**
 * The library's view of the queue in the wire format (DESIGN.md §7): create bodies in, `JobJson` out,
 * history filters as single values or lists, and listeners that receive `JobJson`.
 */
import { invalid } from "../domain/errors.js";
import { type Job, type JobJson, type JobStatus, toJobJson } from "../domain/job.js";
import { copyIfJson, copyJson, describeNonJson, NOT_JSON } from "../domain/json-value.js";
import type { JobListener } from "../queue/job-events.js";
import type { JobQueue } from "../queue/job-queue.js";
import { JOB_EVENTS, type JobEventName } from "../queue/job-queue-api.js";
import { DEFAULT_HISTORY_LIMIT, HistoryQuery as HistoryQuerySchema, JobIdParams } from "../schemas/api.js";
import type { CreateJobBody } from "../schemas/job.js";
import { compileValidator } from "../schemas/validate.js";

/** `history()`'s filter: each of status/type/queue one value or a list, as the REST API's comma lists. */
export interface HistoryQuery {
  status?: JobStatus | JobStatus[];
  type?: string | string[];
  queue?: string | string[];
  limit?: number;
  offset?: number;
}

/** A page of history, newest first, as `GET /api/jobs/history` answers. */
export interface HistoryPage {
  jobs: JobJson[];
  total: number;
  limit: number;
  offset: number;
}

export type JobJsonListener = (job: JobJson) => void;

// The same checks and messages as the REST API's (`"status[0]" must be one of …`, `"id" must be a UUID`).
const checkHistory = compileValidator(HistoryQuerySchema);
const checkIdParams = compileValidator(JobIdParams);

/** A job id as jobd stores it: a UUID, in lowercase (the REST API takes any case too). */
function jobId(id: string): string {
  return checkIdParams({ id }).id.toLowerCase();
}

function checkEvent(event: JobEventName): void {
  if (!(JOB_EVENTS as readonly string[]).includes(event))
    throw invalid(`unknown event "${String(event)}": the events are ${JOB_EVENTS.join(", ")}`);
}

/**
 * A library caller can hand over what JSON has no form for (NaN, a Date, a Map, a function, a cycle),
 * which the REST API never receives and the stores would keep differently (memory as it is, the others
 * as JSON.stringify turns it). Refused naming the path; a JSON payload is copied, so the caller's later
 * changes to its object cannot reach the stored job. Anything but an object body is left to the queue's
 * own checks.
 */
function withJsonPayload(body: CreateJobBody, field: string): CreateJobBody {
  if (body === null || typeof body !== "object" || body.payload === undefined) return body;
  const payload = copyIfJson(body.payload);
  if (payload === NOT_JSON) throw invalid(`"${field}" is not JSON: ${describeNonJson(body.payload, field)}`);
  return { ...body, payload };
}

/**
 * What a listener gets: the wire form with payload and result of its own, since every listener of an
 * event (and the event stream) is handed the same job.
 */
function listenerJobJson(job: Job): JobJson {
  return { ...toJobJson(job), payload: copyJson(job.payload), result: copyJson(job.result) };
}

const asList = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/** The wire-format operations a JobdServer offers on top of its JobQueue. */
export class LibraryApi {
  private readonly listeners = new Map<JobJsonListener, JobListener>();

  /** `queue`: the engine, the same object the HTTP API uses. */
  constructor(readonly queue: JobQueue) {}

  /** Durable when it resolves; returns the stored job when the idempotency key already existed. */
  async enqueue(body: CreateJobBody): Promise<JobJson> {
    return toJobJson((await this.queue.enqueue(withJsonPayload(body, "payload"))).job);
  }

  /** All or none, in order. */
  async enqueueMany(bodies: CreateJobBody[]): Promise<JobJson[]> {
    const checked = Array.isArray(bodies)
      ? bodies.map((body, i) => withJsonPayload(body, `jobs[${i}].payload`))
      : bodies;
    return (await this.queue.enqueueMany(checked)).map((result) => toJobJson(result.job));
  }

  /** Ids are UUIDs, case-insensitive on input as in the REST API; jobd stores them in lowercase. */
  async get(id: string): Promise<JobJson> {
    return toJobJson(await this.queue.get(jobId(id)));
  }

  async history(query: HistoryQuery = {}): Promise<HistoryPage> {
    const checked = checkHistory({
      ...query,
      status: asList(query.status),
      type: asList(query.type),
      queue: asList(query.queue),
    });
    const limit = checked.limit ?? DEFAULT_HISTORY_LIMIT;
    const offset = checked.offset ?? 0;
    const { status, type, queue } = checked;
    const page = await this.queue.history({ status, type, queue, limit, offset });
    return { jobs: page.jobs.map(toJobJson), total: page.total, limit, offset };
  }

  /** failed | cancelled → queued (else `conflict`); returns the job as queued again. */
  async retry(id: string): Promise<JobJson> {
    return toJobJson(await this.queue.retry(jobId(id)));
  }

  /** queued | processing → cancelled (a running in-process handler sees its signal fire). */
  async cancel(id: string): Promise<JobJson> {
    return toJobJson(await this.queue.cancel(jobId(id)));
  }

  /** Throws `invalid_request` for an event name jobd does not emit (a typo would otherwise never fire). */
  on(event: JobEventName, listener: JobJsonListener): void {
    checkEvent(event);
    const wrapped = this.listeners.get(listener) ?? ((job) => listener(listenerJobJson(job)));
    this.listeners.set(listener, wrapped);
    this.queue.on(event, wrapped);
  }

  off(event: JobEventName, listener: JobJsonListener): void {
    checkEvent(event);
    const wrapped = this.listeners.get(listener);
    if (wrapped) this.queue.off(event, wrapped);
  }
}

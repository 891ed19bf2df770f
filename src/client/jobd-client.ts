/**
 * JobdClient: the REST API of DESIGN.md §5 as typed calls, for applications that submit jobs to a
 * running jobd and for remote workers. Request and response types come from the server's own schemas
 * (src/schemas/), so the two cannot drift. Answers that wrap one job (`{job}`) or a job list (`{jobs}`
 * of a lease or batch) are unwrapped; the other answers are returned as the server sends them.
 * Every failure is a `JobdClientError` recognised by its `code`.
 */
import type { Static } from "@sinclair/typebox";
import type { JobEventName } from "../queue/job-queue-api.js";
import type {
  CompleteBody,
  EventsQuery,
  FailBody,
  HeartbeatBody,
  HistoryQuery,
  HistoryResponse,
  JobListResponse,
  JobResponse,
  LeaseBody,
  RetryFailedBody,
  RetryFailedResponse,
  RetryResponse,
  StatsResponse,
} from "../schemas/api.js";
import type { CreateJobBody, JobSchema } from "../schemas/job.js";
import { openStream, type QueryValue, requestJson, type Transport } from "./http.js";
import { fetchRequester, nodeRequester } from "./requester.js";
import { readEventStream } from "./sse.js";
import { Worker, type WorkHandler, type WorkOptions } from "./worker.js";

/** A job as the server shows it (snake_case, RFC 3339 timestamps). */
export type RemoteJob = Static<typeof JobSchema>;

export interface JobdClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The server's `--api-token`, sent as `Authorization: Bearer …`. */
  token?: string;
  /**
   * Sends every call through this fetch when given. By default calls go over node:http with keep-alive
   * connections: cheaper per call than fetch, and it reaches the ports fetch refuses (6000, 10080…).
   */
  fetch?: typeof fetch;
  /**
   * How long a call waits for its answer before it fails as `unavailable` (connecting included; for
   * `events()`, until the stream is open); a lease's `wait_ms` is added to it. Default 10,000 ms;
   * 0 waits forever.
   */
  timeoutMs?: number;
}

/** The default `timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 10_000;

type OneOrMany<T> = T | readonly T[];
type Item<T> = T extends readonly (infer U)[] ? U : never;

/** `GET /api/jobs/history`'s query; `status`, `type` and `queue` take one value or several. */
export type HistoryFilter = Pick<HistoryQuery, "limit" | "offset"> & {
  status?: OneOrMany<Item<NonNullable<HistoryQuery["status"]>>>;
  type?: OneOrMany<string>;
  queue?: OneOrMany<string>;
};

/** One message of `GET /api/events`. */
export interface JobEvent {
  event: JobEventName;
  job: RemoteJob;
}

const jobPath = (id: string, action = "") => `/api/jobs/${encodeURIComponent(id)}${action}`;

export class JobdClient {
  private readonly transport: Transport;

  constructor(options: JobdClientOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new RangeError(`timeoutMs must be a number of milliseconds ≥ 0 (got ${timeoutMs})`);
    }
    this.transport = {
      baseUrl: options.url.replace(/\/+$/, ""),
      token: options.token,
      requester: options.fetch ? fetchRequester(options.fetch) : nodeRequester(),
      timeoutMs,
    };
  }

  /** `POST /api/jobs`: the new job, or the stored one when its idempotency key already exists. */
  async create(body: CreateJobBody): Promise<RemoteJob> {
    return (await this.call<JobResponse>("POST", "/api/jobs", { body })).job;
  }

  /** `POST /api/jobs/batch`: all or none, in request order. */
  async createMany(jobs: CreateJobBody[]): Promise<RemoteJob[]> {
    return (await this.call<JobListResponse>("POST", "/api/jobs/batch", { body: { jobs } })).jobs;
  }

  /** `GET /api/jobs/{id}`; `not_found` when there is no such job. */
  async get(id: string): Promise<RemoteJob> {
    return (await this.call<JobResponse>("GET", jobPath(id))).job;
  }

  /** `GET /api/jobs/history`: newest first, with the total number of matches. */
  history(filter: HistoryFilter = {}): Promise<HistoryResponse> {
    return this.call("GET", "/api/jobs/history", { query: filter as Record<string, QueryValue> });
  }

  /** `POST /api/jobs/{id}/retry`: a failed or cancelled job back to queued (else `conflict`). */
  retry(id: string): Promise<RetryResponse> {
    return this.call("POST", jobPath(id, "/retry"));
  }

  /** `POST /api/jobs/retry-failed`: every failed job matching the filter, in one step. */
  retryFailed(filter: RetryFailedBody = {}): Promise<RetryFailedResponse> {
    return this.call("POST", "/api/jobs/retry-failed", { body: filter });
  }

  /** `POST /api/jobs/{id}/cancel`: a queued or processing job becomes cancelled (else `conflict`). */
  async cancel(id: string): Promise<RemoteJob> {
    return (await this.call<JobResponse>("POST", jobPath(id, "/cancel"))).job;
  }

  /** `DELETE /api/jobs/{id}`: a processing job is a `conflict`. */
  async delete(id: string): Promise<void> {
    await this.call("DELETE", jobPath(id));
  }

  /** `GET /api/stats`: counts, the startup RecoveryResult, backend and durability. */
  stats(): Promise<StatsResponse> {
    return this.call("GET", "/api/stats");
  }

  /**
   * `POST /api/workers/lease`: the jobs now leased to `worker_id` (maybe none). With `wait_ms` the server
   * may hold the answer that long, so the call waits `wait_ms` + `timeoutMs` for it.
   */
  async lease(body: LeaseBody, signal?: AbortSignal): Promise<RemoteJob[]> {
    const options = { body, longPollMs: body.wait_ms, ...(signal && { signal }) };
    return (await this.call<JobListResponse>("POST", "/api/workers/lease", options)).jobs;
  }

  /** `POST /api/jobs/{id}/heartbeat`: extends the lease; `conflict` when it is lost or the job cancelled. */
  async heartbeat(id: string, body: HeartbeatBody): Promise<RemoteJob> {
    return (await this.call<JobResponse>("POST", jobPath(id, "/heartbeat"), { body })).job;
  }

  /** `POST /api/jobs/{id}/complete`: applies only while the lease is held (else `conflict`). */
  async complete(id: string, body: CompleteBody): Promise<RemoteJob> {
    return (await this.call<JobResponse>("POST", jobPath(id, "/complete"), { body })).job;
  }

  /** `POST /api/jobs/{id}/fail`: queued again with backoff, or failed (`retryable: false` or no attempts left). */
  async fail(id: string, body: FailBody): Promise<RemoteJob> {
    return (await this.call<JobResponse>("POST", jobPath(id, "/fail"), { body })).job;
  }

  /**
   * `GET /api/events` as an async iterator; ends when `signal` aborts, the loop breaks, or the server
   * closes the stream (a restart does: open a new one to keep listening). A connection lost mid-stream
   * throws `unavailable`, as a stream that cannot be opened does.
   */
  async *events(query: EventsQuery = {}, options: { signal?: AbortSignal } = {}): AsyncGenerator<JobEvent> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await openStream(this.transport, "GET", "/api/events", {
        query: query as Record<string, QueryValue>,
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      });
      for await (const message of readEventStream(response.body)) {
        yield { event: message.event as JobEventName, job: JSON.parse(message.data) as RemoteJob };
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      controller.abort(); // closes the stream when the caller stops early
    }
  }

  /**
   * Runs `handler` for jobs of `types`, leased from the server: long-polls for work, heartbeats,
   * completes with the handler's return value or fails with its error. See `Worker`.
   */
  work<T = unknown>(
    types: string | readonly string[],
    handler: WorkHandler<T>,
    options: WorkOptions = {},
  ): Worker {
    return new Worker(this, typeof types === "string" ? [types] : [...types], handler, options);
  }

  private call<T>(method: string, path: string, options?: Parameters<typeof requestJson>[3]): Promise<T> {
    return requestJson<T>(this.transport, method, path, options);
  }
}

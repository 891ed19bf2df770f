/**
 * What the browser tests do over HTTP, as a client or a remote worker would: submit jobs, lease them,
 * report progress, complete or fail them.
 */
import type { JobJson } from "../../../src/domain/job.js";

/** A small REST client for one server (with its token, if any). */
export class JobdHttp {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  /** Sends a request; throws with the server's answer on a non-2xx status. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(this.url + path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** `POST /api/jobs`. */
  async submit(body: Record<string, unknown>): Promise<JobJson> {
    return (await this.call<{ job: JobJson }>("POST", "/api/jobs", body)).job;
  }

  /** `POST /api/jobs/batch`, in order. */
  async submitMany(bodies: Record<string, unknown>[]): Promise<JobJson[]> {
    return (await this.call<{ jobs: JobJson[] }>("POST", "/api/jobs/batch", { jobs: bodies })).jobs;
  }

  async get(id: string): Promise<JobJson> {
    return (await this.call<{ job: JobJson }>("GET", `/api/jobs/${id}`)).job;
  }

  /** Leases up to `max` due jobs of `type` as remote worker `workerId`. */
  async lease(type: string, workerId: string, max = 1): Promise<JobJson[]> {
    const body = { worker_id: workerId, types: [type], max_jobs: max };
    return (await this.call<{ jobs: JobJson[] }>("POST", "/api/workers/lease", body)).jobs;
  }

  /** Reports progress on a leased job. */
  async heartbeat(job: JobJson, progress: number): Promise<JobJson> {
    const body = { worker_id: job.worker_id, attempt: job.attempts, progress };
    return (await this.call<{ job: JobJson }>("POST", `/api/jobs/${job.id}/heartbeat`, body)).job;
  }

  async complete(job: JobJson, result: unknown): Promise<JobJson> {
    const body = { worker_id: job.worker_id, attempt: job.attempts, result };
    return (await this.call<{ job: JobJson }>("POST", `/api/jobs/${job.id}/complete`, body)).job;
  }

  /** Fails a leased job for good (not retryable), so it ends `failed`. */
  async fail(job: JobJson, error: string): Promise<JobJson> {
    const body = { worker_id: job.worker_id, attempt: job.attempts, error, retryable: false };
    return (await this.call<{ job: JobJson }>("POST", `/api/jobs/${job.id}/fail`, body)).job;
  }

  /** Leases the next due job of `type`; throws when there is none. */
  async leaseOne(type: string, workerId = "test-worker"): Promise<JobJson> {
    const [job] = await this.lease(type, workerId);
    if (!job) throw new Error(`no due ${type} job to lease`);
    return job;
  }

  /** Submits one job of `type` and fails it through a remote worker. */
  async submitFailed(type: string, error: string, extra: Record<string, unknown> = {}): Promise<JobJson> {
    await this.submit({ type, ...extra });
    return this.fail(await this.leaseOne(type), error);
  }
}

/**
 * The remote-worker protocol (DESIGN.md §2 leases and fencing): `POST /api/workers/lease` (a long
 * poll with `wait_ms`), then `heartbeat`, `complete` or `fail` on `/api/jobs/{id}/…`, each naming the
 * worker and attempt it holds.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { TSchema } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import type { JsonValue } from "../../domain/job.js";
import { toJobJson } from "../../domain/job.js";
import type { JobQueueApi, LeaseRequest } from "../../queue/job-queue-api.js";
import {
  CompleteBody,
  DEFAULT_LEASE_MS,
  FailBody,
  HeartbeatBody,
  JobIdParams,
  JobListResponse,
  JobResponse,
  LeaseBody,
  NoQuery,
} from "../../schemas/api.js";
import { responses } from "../route-schema.js";

/** The worker routes; the plugin is registered under `/api`. */
export const workerRoutes: FastifyPluginAsyncTypebox<{ queue: JobQueueApi }> = async (app, { queue }) => {
  const waiting = new Set<AbortController>();
  // A long poll must not hold up shutdown: it answers with what it has (nothing) at once.
  app.addHook("preClose", async () => {
    for (const controller of waiting) controller.abort();
  });

  app.post(
    "/workers/lease",
    {
      schema: {
        tags: ["workers"],
        summary: "Lease due jobs; with wait_ms, wait up to that long for one",
        body: LeaseBody,
        querystring: NoQuery,
        response: responses({ 200: JobListResponse }),
      },
    },
    async (request, reply) => {
      const controller = abortOnDisconnect(reply);
      waiting.add(controller);
      try {
        const jobs = await queue.lease(toLeaseRequest(request.body), controller.signal);
        return { jobs: jobs.map(toJobJson) };
      } finally {
        waiting.delete(controller);
      }
    },
  );

  const leaseSchema = <Body extends TSchema>(summary: string, body: Body) => ({
    tags: ["workers"],
    summary,
    params: JobIdParams,
    querystring: NoQuery,
    body,
    response: responses({ 200: JobResponse }),
  });

  app.post(
    "/jobs/:id/heartbeat",
    { schema: leaseSchema("Extend a lease, optionally reporting progress", HeartbeatBody) },
    async (request) => {
      const { worker_id, attempt, progress, lease_ms } = request.body;
      const job = await queue.heartbeat(request.params.id, {
        workerId: worker_id,
        attempt,
        progress,
        leaseMs: lease_ms,
      });
      return { job: toJobJson(job) };
    },
  );

  app.post(
    "/jobs/:id/complete",
    { schema: leaseSchema("Complete a leased job with its result", CompleteBody) },
    async (request) => {
      const { worker_id, attempt, result } = request.body;
      const job = await queue.complete(request.params.id, {
        workerId: worker_id,
        attempt,
        result: (result ?? null) as JsonValue,
      });
      return { job: toJobJson(job) };
    },
  );

  app.post(
    "/jobs/:id/fail",
    { schema: leaseSchema("Fail a leased job: queued again with backoff, or failed", FailBody) },
    async (request) => {
      const { worker_id, attempt, error, retryable } = request.body;
      const job = await queue.fail(request.params.id, { workerId: worker_id, attempt, error, retryable });
      return { job: toJobJson(job) };
    },
  );
};

/** The engine's lease request from the wire body, defaults filled in (DESIGN.md §5). */
function toLeaseRequest(body: LeaseBody): LeaseRequest {
  return {
    workerId: body.worker_id,
    types: body.types,
    queues: body.queues,
    maxJobs: body.max_jobs ?? 1,
    leaseMs: body.lease_ms ?? DEFAULT_LEASE_MS,
    waitMs: body.wait_ms ?? 0,
  };
}

/** An AbortController that fires when the client goes away before its answer was sent. */
function abortOnDisconnect(reply: FastifyReply): AbortController {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller;
}

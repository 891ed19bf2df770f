/**
 * Submitting and reading jobs: `POST /api/jobs`, `POST /api/jobs/batch`, `GET /api/jobs/{id}`,
 * `GET /api/jobs/history` (and `GET /api/jobs`, the same), `DELETE /api/jobs/{id}`.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { toJobJson } from "../../domain/job.js";
import type { JobQueueApi } from "../../queue/job-queue-api.js";
import {
  BatchCreateBody,
  DEFAULT_HISTORY_LIMIT,
  HistoryQuery,
  HistoryResponse,
  JobIdParams,
  JobListResponse,
  JobResponse,
  MAX_BATCH_BODY_BYTES,
  NoQuery,
} from "../../schemas/api.js";
import { CreateJobBody } from "../../schemas/job.js";
import { jsonBufferSerializer, responses } from "../route-schema.js";
import { refuseBody } from "../validator-compiler.js";

/** The job routes; the plugin is registered under `/api`. */
export const jobRoutes: FastifyPluginAsyncTypebox<{ queue: JobQueueApi }> = async (app, { queue }) => {
  app.post(
    "/jobs",
    {
      schema: {
        tags: ["jobs"],
        summary: "Create a job (200 with the stored job when its idempotency key exists)",
        body: CreateJobBody,
        querystring: NoQuery,
        response: responses({ 200: JobResponse, 201: JobResponse }),
      },
    },
    async (request, reply) => {
      const { job, created } = await queue.enqueue(request.body);
      return reply.code(created ? 201 : 200).send({ job: toJobJson(job) });
    },
  );

  app.post(
    "/jobs/batch",
    {
      bodyLimit: MAX_BATCH_BODY_BYTES,
      serializerCompiler: jsonBufferSerializer,
      schema: {
        tags: ["jobs"],
        summary: "Create 1…10,000 jobs, all or none, answered in request order",
        body: BatchCreateBody,
        querystring: NoQuery,
        response: responses({ 201: JobListResponse }),
      },
    },
    async (request, reply) => {
      const results = await queue.enqueueMany(request.body.jobs);
      return reply.code(201).send({ jobs: results.map((r) => toJobJson(r.job)) });
    },
  );

  app.get(
    "/jobs/:id",
    {
      schema: {
        tags: ["jobs"],
        summary: "Get one job",
        params: JobIdParams,
        querystring: NoQuery,
        response: responses({ 200: JobResponse }),
      },
    },
    async (request) => ({ job: toJobJson(await queue.get(request.params.id)) }),
  );

  const historySchema = {
    tags: ["jobs"],
    summary: "List jobs, newest first, with filters and paging",
    querystring: HistoryQuery,
    response: responses({ 200: HistoryResponse }),
  };
  const history = async (query: HistoryQuery) => {
    const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
    const offset = query.offset ?? 0;
    const { jobs, total } = await queue.history({ ...query, limit, offset });
    return { jobs: jobs.map(toJobJson), total, limit, offset };
  };
  app.get("/jobs/history", { schema: historySchema }, async (request) => history(request.query));
  app.get("/jobs", { schema: historySchema }, async (request) => history(request.query));

  app.delete(
    "/jobs/:id",
    {
      preValidation: refuseBody,
      schema: {
        tags: ["jobs"],
        summary: "Delete a job that is not processing",
        params: JobIdParams,
        querystring: NoQuery,
        response: responses({ 204: Type.Null({ description: "Deleted" }) }),
      },
    },
    async (request, reply) => {
      await queue.delete(request.params.id);
      return reply.code(204).send();
    },
  );
};

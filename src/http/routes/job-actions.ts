/**
 * Acting on stored jobs: `POST /api/jobs/{id}/retry`, `POST /api/jobs/retry-failed` and
 * `POST /api/jobs/{id}/cancel`.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJobJson } from "../../domain/job.js";
import type { JobQueueApi } from "../../queue/job-queue-api.js";
import {
  JobIdParams,
  JobResponse,
  NoQuery,
  RetryFailedBody,
  RetryFailedResponse,
  RetryResponse,
} from "../../schemas/api.js";
import { responses } from "../route-schema.js";
import { refuseBody } from "../validator-compiler.js";

/** The job action routes; the plugin is registered under `/api`. */
export const jobActionRoutes: FastifyPluginAsyncTypebox<{ queue: JobQueueApi }> = async (app, { queue }) => {
  app.post(
    "/jobs/:id/retry",
    {
      preValidation: refuseBody,
      schema: {
        tags: ["jobs"],
        summary: "Queue a failed or cancelled job again (attempts reset)",
        params: JobIdParams,
        querystring: NoQuery,
        response: responses({ 200: RetryResponse }),
      },
    },
    async (request) => {
      const job = await queue.retry(request.params.id);
      return { job_id: job.id, status: "queued" as const, message: "Job requeued for processing" as const };
    },
  );

  app.post(
    "/jobs/retry-failed",
    {
      schema: {
        tags: ["jobs"],
        summary: "Retry every failed job, or those of one type and/or queue, in one step",
        body: RetryFailedBody,
        querystring: NoQuery,
        response: responses({ 200: RetryFailedResponse }),
      },
    },
    async (request) => ({ requeued: await queue.retryFailed(request.body) }),
  );

  app.post(
    "/jobs/:id/cancel",
    {
      preValidation: refuseBody,
      schema: {
        tags: ["jobs"],
        summary: "Cancel a queued or processing job",
        params: JobIdParams,
        querystring: NoQuery,
        response: responses({ 200: JobResponse }),
      },
    },
    async (request) => ({ job: toJobJson(await queue.cancel(request.params.id)) }),
  );
};

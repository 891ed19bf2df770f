/** `GET /metrics`: Prometheus text, no token needed. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { JobQueueApi } from "../../queue/job-queue-api.js";
import { createMetrics } from "../metrics.js";

/** The metrics route, at the root; it stops following the queue when the server closes. */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ queue: JobQueueApi }> = async (app, { queue }) => {
  const metrics = createMetrics(queue);
  app.addHook("onClose", async () => metrics.close());
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["health"],
        security: [],
        summary: "Prometheus metrics",
        produces: ["text/plain"],
        response: {
          200: {
            description: "Prometheus text format",
            content: { "text/plain": { schema: { type: "string" } } },
          },
        },
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()),
  );
};

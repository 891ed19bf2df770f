/** `GET /api/stats`: counts by status and queue, the last recovery, the backend and uptime. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { JobQueueApi } from "../../queue/job-queue-api.js";
import { NoQuery, StatsResponse } from "../../schemas/api.js";
import { responses } from "../route-schema.js";

/** The stats route; the plugin is registered under `/api`. */
export const statsRoutes: FastifyPluginAsyncTypebox<{ queue: JobQueueApi }> = async (app, { queue }) => {
  app.get(
    "/stats",
    {
      schema: {
        tags: ["stats"],
        summary: "Job counts, recovery, backend",
        querystring: NoQuery,
        response: responses({ 200: StatsResponse }),
      },
    },
    async () => {
      const { counts, queues, recovery, backend, durability, uptimeS } = await queue.stats();
      return { counts, queues, recovery, backend, durability, uptime_s: uptimeS };
    },
  );
};

/**
 * Everything under `/api`: the token and availability guard first, then the route plugins, and the
 * OpenAPI document. Encapsulated, so the guard covers only these routes (and unknown `/api/*` paths).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { JobQueueApi } from "../queue/job-queue-api.js";
import { NoQuery } from "../schemas/api.js";
import { apiGuard } from "./api-guard.js";
import type { Availability } from "./availability.js";
import { notFoundHandler } from "./error-handler.js";
import { eventRoutes } from "./routes/events.js";
import { jobActionRoutes } from "./routes/job-actions.js";
import { jobRoutes } from "./routes/jobs.js";
import { statsRoutes } from "./routes/stats.js";
import { workerRoutes } from "./routes/workers.js";

/** What the `/api` routes need. */
export interface ApiPluginOptions {
  queue: JobQueueApi;
  apiToken?: string;
  availability: Availability;
}

/** Registered by `buildServer` with `prefix: "/api"`. */
export const apiPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, deps) => {
  app.addHook("onRequest", apiGuard(deps));
  // Unknown `/api/*` paths too: the guard's token check comes before the 404.
  app.setNotFoundHandler(notFoundHandler);
  const routeOptions = { queue: deps.queue };
  await app.register(jobRoutes, routeOptions);
  await app.register(jobActionRoutes, routeOptions);
  await app.register(workerRoutes, routeOptions);
  await app.register(eventRoutes, routeOptions);
  await app.register(statsRoutes, routeOptions);
  app.get("/openapi.json", { schema: { hide: true, querystring: NoQuery } }, async () => app.swagger());
};

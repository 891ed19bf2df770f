/**
 * Everything under `/api`: the token and readiness guard first, then the route plugins, and the
 * OpenAPI document. Encapsulated, so the guard covers only these routes.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { apiGuard } from "./api-guard.js";
import type { ServerDeps } from "./build-server.js";
import { eventRoutes } from "./routes/events.js";
import { jobActionRoutes } from "./routes/job-actions.js";
import { jobRoutes } from "./routes/jobs.js";
import { statsRoutes } from "./routes/stats.js";
import { workerRoutes } from "./routes/workers.js";

/** Registered by `buildServer` with `prefix: "/api"`. */
export const apiPlugin: FastifyPluginAsyncTypebox<ServerDeps> = async (app, deps) => {
  app.addHook("onRequest", apiGuard(deps));
  const routeOptions = { queue: deps.queue };
  await app.register(jobRoutes, routeOptions);
  await app.register(jobActionRoutes, routeOptions);
  await app.register(workerRoutes, routeOptions);
  await app.register(eventRoutes, routeOptions);
  await app.register(statsRoutes, routeOptions);
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
};

/**
 * The HTTP server as a plugin tree (DESIGN.md §5): health, metrics, the `/api` routes behind the
 * token and readiness guard, and the dashboard. It never listens; `createServer` and the CLI do, and
 * tests call `inject()`.
 */
import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerFactory,
  type FastifyServerOptions,
} from "fastify";
import type { JobQueueApi } from "../queue/job-queue-api.js";
import { apiPlugin } from "./api-plugin.js";
import { Availability } from "./availability.js";
import { dashboardPlugin } from "./dashboard-plugin.js";
import { errorHandler, frameworkErrorHandler, notFoundHandler } from "./error-handler.js";
import { registerJsonParser } from "./json-parser.js";
import { openApiOptions } from "./openapi.js";
import { RequestLogController } from "./request-log.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { validatorCompiler } from "./validator-compiler.js";

/** What the HTTP server needs from the rest of jobd. */
export interface ServerDeps {
  queue: JobQueueApi;
  /** False until recovery is done: `/readyz` and `/api/*` answer 503 until then. */
  isReady: () => boolean;
  /** True once a graceful shutdown has begun: `/readyz` answers 503 from then on (availability.ts). */
  isDraining?: () => boolean;
  /** When set, every `/api/*` request needs `Authorization: Bearer <apiToken>`. */
  apiToken?: string;
  /** `--max-payload-bytes`: bounds a create body (a batch body may be up to 64 MiB). */
  maxPayloadBytes: number;
  /** Pino options (Fastify makes its logger), or `false`/absent for none. */
  logger?: FastifyServerOptions["logger"];
  /** A ready pino logger to share with the engine instead; wins over `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** A server already listening to build on (early-listener.ts) instead of Fastify's own. */
  serverFactory?: FastifyServerFactory;
}

/** Room for a create body's other fields (and JSON whitespace) around a payload of the maximum size. */
export const BODY_SLACK_BYTES = 64 * 1024;

/** How long `close()` lets requests in flight finish before it drops every connection. */
export const CLOSE_GRACE_MS = 2_000;

/** Builds the Fastify instance with every route registered; the caller listens (or injects). */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: deps.logger ?? false }),
    bodyLimit: deps.maxPayloadBytes + BODY_SLACK_BYTES,
    requestIdHeader: "x-request-id",
    logController: new RequestLogController(), // request lines at debug
    genReqId: () => randomUUID(),
    frameworkErrors: frameworkErrorHandler,
    // Closing is answered by the API guard instead, in the API's error shape (see Availability).
    return503OnClosing: false,
    ...(deps.serverFactory && { serverFactory: deps.serverFactory }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  registerJsonParser(app);
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });

  app.register(swagger, openApiOptions);
  const availability = new Availability(deps.isReady, deps.isDraining);
  app.addHook("preClose", async () => availability.markClosing());
  // Node's closeIdleConnections() spares sockets that never carried a request (Node 20's fetch opens
  // one after every aborted request; browsers preconnect), and Fastify keeps them alive 72 s: without
  // this, close() would wait that long. Requests in flight get CLOSE_GRACE_MS to be answered.
  app.addHook("preClose", async () => {
    setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  });
  app.register(healthRoutes, { availability });
  app.register(metricsRoutes, { queue: deps.queue });
  app.register(apiPlugin, { queue: deps.queue, apiToken: deps.apiToken, availability, prefix: "/api" });
  app.register(dashboardPlugin);
  return app as unknown as FastifyInstance;
}

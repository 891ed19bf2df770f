/**
 * Fastify's request log lines, one level down: "incoming request" and "request completed" at `debug`
 * instead of `info`. At `info` they are two lines per request, most of what a busy server prints and
 * a cost on every request; at the default level a server now logs only what needs attention: a
 * refused request at `info` with its reason (error-handler.ts), a fault at `error`, and Fastify's
 * own warnings, which this leaves as they are.
 */
import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

/** The `logController` of jobd's HTTP server. */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, "incoming request");
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) super.requestCompleted(error, request, reply);
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}

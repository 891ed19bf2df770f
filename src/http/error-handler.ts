/**
 * Every failure becomes `{"error": {"code", "message"}}` with the code's status (DESIGN.md §5): a
 * JobdError as it is, Fastify's own errors (bad JSON, body too large, wrong content type) as the
 * nearest code, and anything else as 500 `internal` with no details (they go to the log).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ERROR_STATUS, type ErrorCode, isJobdError } from "../domain/errors.js";

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** Fastify's error codes that mean "the request body is not usable JSON". */
const BAD_BODY: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '"body" is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: '"body" is empty; send a JSON object',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '"body" must be JSON (Content-Type: application/json)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "the request's Content-Length does not match its body",
};

/** Maps any thrown value to the API's error code and a message safe to show the caller. */
export function toApiError(error: unknown, bodyLimit?: number): ApiError {
  if (isJobdError(error)) return { code: error.code, message: error.message };
  const fastifyError = error as Partial<FastifyError>;
  const fastifyCode = fastifyError.code ?? "";
  if (fastifyCode === "FST_ERR_CTP_BODY_TOO_LARGE")
    return { code: "payload_too_large", message: `"body" is over the limit of ${bodyLimit ?? "?"} bytes` };
  if (fastifyCode in BAD_BODY) return { code: "invalid_request", message: BAD_BODY[fastifyCode] as string };
  if (error instanceof SyntaxError || fastifyCode === "FST_ERR_VALIDATION")
    return { code: "invalid_request", message: fastifyError.message ?? "invalid request" };
  const status = fastifyError.statusCode ?? 500;
  if (status === 404) return { code: "not_found", message: fastifyError.message ?? "not found" };
  if (status >= 400 && status < 500)
    return { code: "invalid_request", message: fastifyError.message ?? "invalid request" };
  return { code: "internal", message: "internal server error" };
}

/** Sends an API error with its status. */
export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(ERROR_STATUS[error.code]).send({ error });
}

/** `setErrorHandler`: logs what is the server's fault, answers with the mapped error. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(error, request.routeOptions.bodyLimit);
  if (apiError.code === "internal") request.log.error({ err: error }, "request failed");
  else request.log.info({ code: apiError.code, message: apiError.message }, "request rejected");
  return sendApiError(reply, apiError);
}

/** Fastify's `frameworkErrors`: a malformed URL and the like, answered in the same shape. */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  errorHandler(error, request, reply);
}

/** `setNotFoundHandler`: an unknown route is 404 `not_found`. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendApiError(reply, {
    code: "not_found",
    message: `no route ${request.method} ${request.url.split("?")[0]}`,
  });
}

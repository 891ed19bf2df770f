/**
 * The gate in front of every `/api/*` route (DESIGN.md §5): the bearer token when one is configured
 * (401 `unauthorized`), then availability (503 `unavailable` while starting up or shutting down).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { JobdError } from "../domain/errors.js";
import type { Availability } from "./availability.js";

export interface ApiGuardOptions {
  apiToken?: string;
  availability: Availability;
}

/**
 * An `onRequest` hook that refuses with `unauthorized` or `unavailable`, or lets the request through.
 * Callback style, not async: it runs before every API request, and an async hook adds a promise to each.
 */
export function apiGuard({ apiToken, availability }: ApiGuardOptions) {
  const authorized = bearerCheck(apiToken);
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    done(refusal(request, authorized, availability));
  };
}

/** The 401 message, here and on the early listener. */
export const TOKEN_REQUIRED = "a valid API token is required (Authorization: Bearer <token>)";

/** Whether an `Authorization` header carries `apiToken` (always true when no token is configured). */
export function bearerCheck(apiToken: string | undefined): (header: string | undefined) => boolean {
  if (!apiToken) return () => true;
  const expected = digest(apiToken);
  return (header) => tokenMatches(header, expected);
}

/** Why the request may not pass, or undefined when it may. */
function refusal(
  request: FastifyRequest,
  authorized: (header: string | undefined) => boolean,
  availability: Availability,
) {
  if (!authorized(request.headers.authorization)) return new JobdError("unauthorized", TOKEN_REQUIRED);
  try {
    availability.assertAvailable();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/**
 * Compares in constant time. Both sides are hashed first so they are always the same length, and the
 * comparison leaks neither the token nor its length.
 */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? "");
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), expected);
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

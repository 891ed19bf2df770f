/**
 * The errors JobdClient raises. Every failure of a call — an error answer from the server, or no
 * answer at all — is a `JobdClientError`: a `JobdError` with the server's `code` (recognise it by
 * `code`, it crossed the wire) plus the HTTP status that carried it (0 when the server was not reached).
 */
import { ERROR_CODES, ERROR_STATUS, type ErrorCode, JobdError } from "../domain/errors.js";

export class JobdClientError extends JobdError {
  /** The HTTP status of the answer; 0 when there was none (connection refused, reset, DNS…). */
  readonly httpStatus: number;

  constructor(code: ErrorCode, message: string, httpStatus: number, options?: { cause?: unknown }) {
    super(code, message);
    this.httpStatus = httpStatus;
    if (options?.cause !== undefined) this.cause = options.cause;
  }

  /** True when trying again later may succeed: the server was unreachable or not ready yet. */
  get transient(): boolean {
    return this.code === "unavailable" || this.httpStatus === 0 || this.httpStatus === 502;
  }
}

/** Recognises a client error by its shape, not by `instanceof` (which fails across package copies). */
export function isJobdClientError(error: unknown): error is JobdClientError {
  return (
    error instanceof Error && typeof (error as JobdClientError).httpStatus === "number" && "code" in error
  );
}

/** The code of an error answer: the body's when it names one we know, else the one its status means. */
export function codeFor(httpStatus: number, bodyCode: unknown): ErrorCode {
  if (typeof bodyCode === "string" && (ERROR_CODES as string[]).includes(bodyCode))
    return bodyCode as ErrorCode;
  const byStatus = ERROR_CODES.find((code) => ERROR_STATUS[code] === httpStatus);
  if (byStatus) return byStatus;
  return httpStatus >= 500 ? "unavailable" : "invalid_request";
}

/**
 * Throw this from a `work()` handler to fail the job for good, without the retries it has left.
 * (Any error with `retryable: false` does the same.)
 */
export class NonRetryableError extends Error {
  override readonly name: string = "NonRetryableError";
  readonly retryable = false;
}

/** Whether a handler's failure should be retried: yes, unless the error says otherwise. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof NonRetryableError) && (error as { retryable?: unknown })?.retryable !== false;
}

/**
 * The `reason` of a `work()` handler's signal when its run is superseded: a later lease gave the same
 * worker the same job again (after a manual retry, which restarts the attempts, the new run may carry
 * the same attempt number, so the server could not tell the two runs' reports apart). The earlier run
 * sends nothing more — no heartbeat, no outcome; only the new run reports.
 */
export class SupersededError extends Error {
  override readonly name: string = "SupersededError";
}

/**
 * The error-code registry: every failure a caller can see has one of these codes, one HTTP status,
 * and a human sentence. The HTTP layer maps codes to responses and JobdClient maps them back, so an
 * error is recognised by its `code` on both sides of the wire. docs/errors.md is kept in step by a test.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export class JobdError extends Error {
  override readonly name = "JobdError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const invalid = (message: string) => new JobdError("invalid_request", message);
export const notFound = (id: string) => new JobdError("not_found", `Job ${id} not found`);
export const conflict = (message: string) => new JobdError("conflict", message);

export function isJobdError(error: unknown): error is JobdError {
  return error instanceof Error && (error as JobdError).code in ERROR_STATUS && error.name === "JobdError";
}

/**
 * A mistake in how jobd was invoked (an unknown flag, a bad value, a missing argument): the CLI prints
 * its message on stderr, without a stack trace, and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The exit code of a usage error (the convention of most Unix tools). */
export const USAGE_EXIT_CODE = 2;

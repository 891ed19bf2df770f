/**
 * PostgreSQL's failures as jobd's error codes, so callers see the same errors whatever the store: a
 * database that cannot be reached (or went away mid-request) is `unavailable` (503), a duplicate job
 * id is `conflict`. Anything else — including what a transition throws — passes through unchanged.
 *
 * A connection lost during COMMIT leaves the outcome unknown (it may have committed); `unavailable`
 * says only that jobd could not confirm it.
 */
import pg from "pg";
import { conflict, JobdError } from "../../domain/errors.js";

/** SQLSTATE classes and codes that mean "the database is not there": connection exceptions,
 * admin/crash shutdown, cannot connect now, too many connections. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;

function isConnectionFailure(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_SQLSTATE.test(error.code ?? "");
  if (!(error instanceof Error)) return false;
  // Node's socket errors carry `syscall`; pg's own connection errors have no code, only these messages.
  return (
    "syscall" in error ||
    /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
      error.message,
    )
  );
}

/** `error` as jobd's error code where it maps to one, else unchanged. */
export function toStoreError(error: unknown): unknown {
  if (isConnectionFailure(error))
    return new JobdError("unavailable", `PostgreSQL is unavailable: ${(error as Error).message}`);
  if (error instanceof pg.DatabaseError && error.code === "23505" && error.constraint?.endsWith("_pkey"))
    return conflict(`a job with this id is already stored (${error.detail ?? error.message})`);
  return error;
}

/**
 * The connection pool, set up for jobd: `bigint` (int8) values are epoch milliseconds and counts, all
 * far below 2^53, so they are parsed as numbers for this pool only (pg's global default, strings, is
 * left alone for the rest of the process); and commits are durable whatever the server's default.
 */
import pg from "pg";
import { JobdError } from "../../domain/errors.js";

const INT8_OID = 20;

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

const DURABLE_COMMITS =
  "SELECT set_config('synchronous_commit', 'local', false) WHERE current_setting('synchronous_commit') = 'off'";

/** How long to wait for a new connection before the request fails. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Connections per node by default: claims, writes and reads run in parallel up to this many. */
export const DEFAULT_POOL_SIZE = 10;

/** A pool on `connectionString` that parses bigints as numbers. */
export function createPool(connectionString: string, max = DEFAULT_POOL_SIZE): pg.Pool {
  // jobd answers only after a commit is durable ("power-loss"): a server or role configured with
  // synchronous_commit=off would lose acknowledged jobs, so each new session raises it to `local`
  // (stronger settings such as remote_apply are kept) before the pool hands it out.
  const onConnect = async (client: pg.ClientBase) => {
    await client.query(DURABLE_COMMITS);
  };
  const pool = new pg.Pool({
    connectionString,
    max,
    types,
    onConnect,
    // A database that does not answer fails the request (`unavailable`) instead of hanging it, and
    // TCP keep-alive notices a peer that vanished without closing the connection.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle connection that dies (server restart, network) is dropped by the pool; the next query
  // opens a new one. Without a listener the error would crash the process.
  pool.on("error", () => {});
  return pool;
}

/** The connection string without its password, for messages. */
function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = "";
    return url.toString();
  } catch {
    return "the configured database";
  }
}

/** A failure to reach the database, as `unavailable` naming it (never its password). */
export function unreachable(connectionString: string, cause: unknown): JobdError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new JobdError(
    "unavailable",
    `cannot use PostgreSQL at ${describeDatabase(connectionString)}: ${reason}`,
  );
}

/** The PostgreSQL the PostgreSQL-based peers share: 127.0.0.1:5432, db `test`, trust auth, a fresh schema per run. */
import { randomUUID } from "node:crypto";
import pg from "pg";

/** Connection string for the bench database (BENCH_DATABASE_URL overrides). */
export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? `postgres://${process.env.PGUSER ?? "postgres"}@127.0.0.1:5432/test`;

/** A schema name nobody uses yet. */
export function freshSchemaName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

async function withClient<T>(
  run: (client: pg.Client) => Promise<T>,
  connectionString = BENCH_DATABASE_URL,
): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Drops a run's schema and everything in it (in the bench database, or the one `url` names). */
export async function dropSchema(schema: string, url = BENCH_DATABASE_URL): Promise<void> {
  await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`), url);
}

/**
 * A database of the bench's own on the bench server, created if missing: for a system whose schema
 * name is fixed (jobd's `jobd`), so that dropping it touches nothing else. Returns its URL.
 */
export async function ownDatabase(name: string): Promise<string> {
  await withClient(async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The server's version and commit settings (`fsync`, `synchronous_commit`), or throws when unreachable. */
export async function postgresDescription(): Promise<string> {
  return withClient(async (client) => {
    const version = await client.query<{ server_version: string }>("SHOW server_version");
    const commit = await client.query<{ synchronous_commit: string }>("SHOW synchronous_commit");
    const fsync = await client.query<{ fsync: string }>("SHOW fsync");
    return (
      `PostgreSQL ${version.rows[0]?.server_version} (fsync=${fsync.rows[0]?.fsync}, ` +
      `synchronous_commit=${commit.rows[0]?.synchronous_commit})`
    );
  });
}

/** Why the bench database is unreachable, or undefined. */
export async function postgresUnavailableReason(): Promise<string | undefined> {
  try {
    await postgresDescription();
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${BENCH_DATABASE_URL} unreachable (${(error as Error).message})`;
  }
}

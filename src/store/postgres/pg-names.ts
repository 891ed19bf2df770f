/**
 * The names of jobd's objects in PostgreSQL. Everything lives in one schema (default `jobd`), so several
 * jobd deployments — or one test file per schema — can share a database without touching each other.
 */
import { invalid } from "../../domain/errors.js";

/** The schema jobd uses unless told otherwise. */
export const DEFAULT_SCHEMA = "jobd";

/** Lower-case identifiers only: they are interpolated into SQL, so nothing that needs escaping is allowed. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

/** Quoted, schema-qualified names, ready to interpolate into SQL text. */
export interface PgNames {
  schema: string;
  /** The jobs table. */
  jobs: string;
  /** Which migrations have been applied. */
  migrations: string;
  /** The LISTEN/NOTIFY channel announcing newly queued jobs (one per schema). */
  channel: string;
  /** The advisory-lock key that serializes migrations of this schema across nodes. */
  migrationLockKey: string;
}

/** Validates `schema` and derives every name from it; throws `invalid_request` for a bad name. */
export function pgNames(schema: string = DEFAULT_SCHEMA): PgNames {
  if (!SCHEMA_PATTERN.test(schema))
    throw invalid(`PostgreSQL schema "${schema}" must match ${SCHEMA_PATTERN.source}`);
  return {
    schema: `"${schema}"`,
    jobs: `"${schema}"."jobs"`,
    migrations: `"${schema}"."schema_migrations"`,
    channel: `${schema}_jobs_available`,
    migrationLockKey: `jobd.migrate.${schema}`,
  };
}

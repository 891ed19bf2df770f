/** Brings a database's schema up to date with MIGRATIONS, each step in its own transaction. */
import type { Database } from "better-sqlite3";
import { JobdError } from "../../domain/errors.js";
import { MIGRATIONS, type Migration } from "./migrations.js";

/** Applies every migration newer than `user_version`; returns the resulting version. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest)
    throw new JobdError(
      "unavailable",
      `${db.name} has schema version ${current}, newer than this jobd knows (${latest}); upgrade jobd`,
    );
  const apply = db.transaction((migration: Migration) => {
    db.exec(migration.sql);
    db.pragma(`user_version = ${migration.version}`);
  });
  for (const migration of migrations) if (migration.version > current) apply.immediate(migration);
  return Math.max(current, latest);
}

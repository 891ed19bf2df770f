/**
 * Opens `<dataDir>/jobs.db` for the SQLite store: the data directory (created 0700) and its lock, the
 * database file created 0600 before SQLite opens it (SQLite gives `-wal` and `-shm` the database
 * file's mode), WAL, the chosen `synchronous`, a bounded page cache, and the schema migrated.
 */
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { SqliteSync } from "../../config/persistence.js";
import { type DataDirLock, ensureDataDir, FILE_MODE, lockDataDir } from "../data-dir.js";
import { migrate } from "./migrate.js";

/** The database file in the data directory. */
export const DB_FILE = "jobs.db";
/** SQLite's page cache, in KiB: the store's memory stays bounded whatever the number of jobs. */
export const CACHE_SIZE_KIB = 32 * 1024;
/** After a checkpoint, the WAL file is truncated back to at most this size. */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** An open database and the data-directory lock that makes it ours. */
export interface OpenedDatabase {
  db: Database.Database;
  lock: DataDirLock;
}

/** Takes the data directory's lock and opens the migrated database; releases the lock if that fails. */
export function openDatabase(dataDir: string, sync: SqliteSync): OpenedDatabase {
  const dir = ensureDataDir(dataDir);
  const lock = lockDataDir(dir);
  let db: Database.Database | undefined;
  try {
    const file = join(dir, DB_FILE);
    closeSync(openSync(file, "a", FILE_MODE)); // create it 0600 if missing; never truncate
    db = new Database(file);
    configure(db, sync);
    migrate(db);
    return { db, lock };
  } catch (error) {
    db?.close();
    lock.release();
    throw error;
  }
}

function configure(db: Database.Database, sync: SqliteSync): void {
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${sync === "full" ? "FULL" : "NORMAL"}`);
  db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  db.pragma("busy_timeout = 5000");
  // A statement inside a savepoint (a batch's multi-row inserts, updateMany's updates) keeps a
  // statement journal; in a temp file that doubled the CPU of a create (measured). Sorts stay bounded
  // by LIMITs or by the rows returned.
  db.pragma("temp_store = MEMORY");
}

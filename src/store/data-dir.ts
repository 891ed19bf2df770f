/**
 * The data directory and its lock (DESIGN.md §3). jobd creates a missing directory 0700 and its files
 * 0600, never changes the mode of a directory the user made, and lets one server own a directory at a
 * time through `jobd.lock` (pid and hostname); a lock left by a dead process on this host is taken over.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { JobdError } from "../domain/errors.js";

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
export const LOCK_FILE = "jobd.lock";

export function ensureDataDir(dir: string): string {
  const path = resolve(dir);
  mkdirSync(path, { recursive: true, mode: DIR_MODE });
  return path;
}

export interface DataDirLock {
  release(): void;
}

interface LockHolder {
  pid: number;
  hostname: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockHolder;
  } catch {
    return null; // unreadable or half-written: treated as abandoned
  }
}

/** Takes `<dir>/jobd.lock` or throws an error naming the directory and the holder. */
export function lockDataDir(dir: string): DataDirLock {
  const file = join(dir, LOCK_FILE);
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(file, "wx", FILE_MODE);
      writeSync(fd, JSON.stringify({ pid: process.pid, hostname: hostname() }));
      fsyncSync(fd);
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(file);
      const stale = holder === null || (holder.hostname === hostname() && !isAlive(holder.pid));
      if (!stale)
        throw new JobdError(
          "unavailable",
          `data directory ${dir} is in use by another jobd (pid ${holder.pid} on ${holder.hostname}); stop it or choose another --data-dir`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new JobdError("unavailable", `could not take the lock ${file}`);
}

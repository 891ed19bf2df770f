/**
 * The data directory and its lock (DESIGN.md §3). jobd creates a missing directory 0700 and its files
 * 0600, never changes the mode of a directory the user made, and lets one server own a directory at a
 * time through `jobd.lock` (pid and hostname); a lock left by a dead process on this host is taken over.
 *
 * The lock is safe between processes starting at the same instant (docs/cli.md, "One server per data
 * directory"):
 * - it is created whole: the content goes to a temp file that is then link()ed to `jobd.lock`, which
 *   fails if the lock exists, so a lock is never seen empty while its creator is alive;
 * - a stale lock is removed only under the `jobd.lock.takeover` guard (an O_EXCL file held for the few
 *   statements of re-read → unlink → link) and only if it still holds what was judged stale;
 * - release removes the lock only while it is still this process's.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { JobdError } from "../domain/errors.js";

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
export const LOCK_FILE = "jobd.lock";
export const TAKEOVER_FILE = `${LOCK_FILE}.takeover`;

/** The guard is held for a few statements: one older than this was left by a crashed process. */
export const GUARD_STALE_MS = 5_000;
/**
 * An unreadable lock younger than this may still be being written by a live process (an older jobd, or
 * a filesystem without hard links); once older it was left by a crash and is taken over.
 */
export const UNREADABLE_GRACE_MS = 1_000;
/** Temp files of a creation that crashed before removing them are cleared once this old. */
const TEMP_STALE_MS = 60_000;
const RETRY_MS = 5;
/** link() is not supported everywhere (FAT, some network and FUSE filesystems). */
const NO_LINK = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/** Creates the data directory (0700) if missing, or throws an error that names it and says what is wrong. */
export function ensureDataDir(dir: string): string {
  const path = resolve(dir);
  try {
    mkdirSync(path, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    throw dataDirError(path, error);
  }
  return path;
}

function dataDirError(path: string, error: unknown): JobdError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EEXIST") return new JobdError("unavailable", `data directory ${path} is not a directory`);
  const cannot = `cannot create data directory ${path}`;
  if (code === "ENOTDIR")
    return new JobdError("unavailable", `${cannot}: ${firstExisting(path)} is not a directory`);
  if (code === "EACCES" || code === "EPERM")
    return new JobdError("unavailable", `${cannot}: permission denied`);
  if (code === "EROFS") return new JobdError("unavailable", `${cannot}: read-only file system`);
  return new JobdError("unavailable", `${cannot}: ${(error as Error).message}`);
}

/** The nearest ancestor of `path` that exists (the one that is not a directory, after ENOTDIR). */
function firstExisting(path: string): string {
  let at = dirname(path);
  for (;;) {
    try {
      statSync(at);
      return at;
    } catch {
      if (dirname(at) === at) return at;
      at = dirname(at);
    }
  }
}

/** A failure to write in an existing data directory, named and explained. */
function writeError(dir: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const cannot = `cannot write in data directory ${dir}`;
  if (code === "EACCES" || code === "EPERM")
    return new JobdError("unavailable", `${cannot}: permission denied`);
  if (code === "EROFS") return new JobdError("unavailable", `${cannot}: read-only file system`);
  return error as Error;
}

export interface DataDirLock {
  release(): void;
}

interface LockHolder {
  pid: number;
  hostname: string;
}

/** What `jobd.lock` held when read: its text, the holder if the text names one, and its age. */
interface SeenLock {
  text: string;
  holder: LockHolder | null;
  ageMs: number;
}

const HELD = Symbol.for("jobd.heldDataDirLocks");
/**
 * The lock files this process holds (by real path): a lock naming our own pid is ours only if listed.
 * Kept on globalThis so that two copies of this module (src and dist, say) share it; worker threads do not.
 */
const registry = globalThis as { [HELD]?: Set<string> };
registry[HELD] ??= new Set<string>();
const heldHere = registry[HELD];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const holder = JSON.parse(text) as Partial<LockHolder> | null;
    if (Number.isInteger(holder?.pid) && typeof holder?.hostname === "string") return holder as LockHolder;
  } catch {
    // empty or garbage: see judge()
  }
  return null;
}

/** The lock as it is now, or null when there is none. */
function readLock(file: string): SeenLock | null {
  try {
    const fd = openSync(file, "r");
    try {
      const text = readFileSync(fd, "utf8");
      const ageMs = Date.now() - fstatSync(fd).mtimeMs;
      return { text, holder: parseHolder(text), ageMs };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

type Verdict = "held" | "stale" | "wait";

/**
 * `held`: a live process on this host, or any process on another host (its pid cannot be checked from
 * here). `stale`: a dead pid on this host, our own pid when this process does not hold it (a previous
 * process that had the same pid, as after a container restart), or garbage left by a crash. `wait`: garbage
 * young enough to be a lock still being written.
 */
function judge(seen: SeenLock, key: string): Verdict {
  const { holder } = seen;
  if (holder === null) return seen.ageMs < UNREADABLE_GRACE_MS ? "wait" : "stale";
  if (holder.hostname !== hostname()) return "held";
  if (holder.pid === process.pid) return heldHere.has(key) ? "held" : "stale";
  return isAlive(holder.pid) ? "held" : "stale";
}

function inUse(dir: string, file: string, holder: LockHolder | null): JobdError {
  const who = holder ? `pid ${holder.pid} on ${holder.hostname}` : "a process that has not written its pid";
  const remote =
    holder && holder.hostname !== hostname()
      ? `; jobd cannot check a process on another host: if that jobd is gone, delete ${file}`
      : "";
  return new JobdError(
    "unavailable",
    `data directory ${dir} is in use by another jobd (${who}); stop it or choose another --data-dir${remote}`,
  );
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(pause, 0, 0, ms);

/**
 * Creates `file` holding `content`, whole, unless it exists: writes a temp file in the same directory and
 * link()s it (EEXIST if the lock exists). True if created.
 */
function createLock(dir: string, file: string, content: string): boolean {
  const temp = join(dir, `${LOCK_FILE}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeNew(temp, content);
  } catch (error) {
    throw writeError(dir, error);
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_LINK.has(code)) throw writeError(dir, error);
  } finally {
    rmSync(temp, { force: true });
  }
  // No hard links here: an O_EXCL create, briefly empty (readers wait UNREADABLE_GRACE_MS for it).
  try {
    writeNew(file, content);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw writeError(dir, error);
  }
}

/**
 * O_EXCL create, 0600. Not fsynced: after a machine crash the holder is dead either way, and an empty or
 * torn lock is taken over.
 */
function writeNew(path: string, content: string): void {
  const fd = openSync(path, "wx", FILE_MODE);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces the stale lock `seen` by ours under the takeover guard. True if the lock is now ours; false
 * if the caller should look again (the guard is taken, the lock changed, or another process won).
 */
function takeOver(dir: string, file: string, key: string, content: string, seen: SeenLock): boolean {
  const guard = join(dir, TAKEOVER_FILE);
  try {
    closeSync(openSync(guard, "wx", FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw writeError(dir, error);
    removeIfOlder(guard, GUARD_STALE_MS);
    return false;
  }
  try {
    const now = readLock(file);
    if (now !== null) {
      if (now.text !== seen.text || judge(now, key) !== "stale") return false;
      rmSync(file, { force: true });
    }
    return createLock(dir, file, content);
  } finally {
    rmSync(guard, { force: true });
  }
}

function removeIfOlder(path: string, ms: number): void {
  try {
    if (Date.now() - statSync(path).mtimeMs > ms) rmSync(path, { force: true });
  } catch {
    // gone already
  }
}

/** Clears temp files left by a creation that crashed between writing and removing them. */
function clearOldTemps(dir: string): void {
  try {
    for (const name of readdirSync(dir))
      if (name.startsWith(`${LOCK_FILE}.`) && name.endsWith(".tmp"))
        removeIfOlder(join(dir, name), TEMP_STALE_MS);
  } catch {
    // best effort
  }
}

/** Takes `<dir>/jobd.lock` or throws an error naming the directory and the holder. */
export function lockDataDir(dir: string): DataDirLock {
  const file = join(dir, LOCK_FILE);
  let key: string;
  try {
    key = join(realpathSync(dir), LOCK_FILE);
  } catch (error) {
    throw writeError(dir, error);
  }
  const content = JSON.stringify({ pid: process.pid, hostname: hostname() } satisfies LockHolder);
  // Long enough to outlast a guard left by a crash, and a lock still being written.
  const deadline = Date.now() + GUARD_STALE_MS + UNREADABLE_GRACE_MS + 1_000;
  for (;;) {
    if (heldHere.has(key)) throw inUse(dir, file, { pid: process.pid, hostname: hostname() });
    if (createLock(dir, file, content)) return taken(dir, file, key, content);
    const seen = readLock(file);
    if (seen !== null) {
      const verdict = judge(seen, key);
      if (verdict === "held") throw inUse(dir, file, seen.holder);
      if (verdict === "stale" && takeOver(dir, file, key, content, seen))
        return taken(dir, file, key, content);
      if (Date.now() > deadline)
        throw verdict === "wait"
          ? inUse(dir, file, null)
          : new JobdError(
              "unavailable",
              `could not take the lock ${file}: another process keeps taking it over`,
            );
      sleep(RETRY_MS);
    }
  }
}

function taken(dir: string, file: string, key: string, content: string): DataDirLock {
  heldHere.add(key);
  clearOldTemps(dir);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      heldHere.delete(key);
      // Only while it is still ours: never remove a lock another process has since taken.
      try {
        if (readFileSync(file, "utf8") === content) unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    },
  };
}

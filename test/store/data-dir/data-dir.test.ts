/**
 * The data directory and its lock in one process (DESIGN.md §3): clear errors for a directory jobd cannot
 * use, and the lock's rules: who holds it, what is stale, what release may remove. The race between
 * processes is ./lock-race.test.ts.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  ensureDataDir,
  LOCK_FILE,
  lockDataDir,
  TAKEOVER_FILE,
  UNREADABLE_GRACE_MS,
} from "../../../src/store/data-dir.js";
import { tempDir } from "../../support/temp-dir.js";

const REPO = join(import.meta.dirname, "..", "..", "..");
const me = { pid: process.pid, hostname: hostname() };
/** A pid that surely belongs to no process: one that has exited (spawned once: a start costs ~1 s here). */
let dead: number | undefined;
const deadPid = () => (dead ??= spawnSync(process.execPath, ["-e", ""]).pid);
const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as typeof me;
const writeLock = (dir: string, content: unknown) =>
  writeFileSync(join(dir, LOCK_FILE), typeof content === "string" ? content : JSON.stringify(content));
const age = (path: string, ms: number) =>
  utimesSync(path, new Date(Date.now() - ms), new Date(Date.now() - ms));

describe("ensureDataDir", () => {
  test("an existing file is named as the data directory that is not a directory", () => {
    const file = join(tempDir("data-dir"), "data");
    writeFileSync(file, "");
    expect(() => ensureDataDir(file)).toThrow(`data directory ${file} is not a directory`);
  });

  test("a file on the path is named", () => {
    const file = join(tempDir("data-dir"), "file");
    writeFileSync(file, "");
    const dir = join(file, "a", "data");
    expect(() => ensureDataDir(dir)).toThrow(
      `cannot create data directory ${dir}: ${file} is not a directory`,
    );
  });

  test("a directory jobd may not write in: permission denied, naming the directory", () => {
    const parent = tempDir("data-dir"); // 0700: closed to anyone else
    const readOnly = join(parent, "read-only");
    mkdirSync(readOnly, { mode: 0o755 });
    const dir = join(parent, "data");
    const expected = [
      `cannot create data directory ${dir}: permission denied`,
      `cannot write in data directory ${readOnly}: permission denied`,
    ];
    if (process.getuid?.() === 0) {
      // root ignores modes: try as nobody, who may enter the parent but write in neither
      chmodSync(parent, 0o755);
      const script = `import { ensureDataDir, lockDataDir } from "./src/store/data-dir.js";
        const tryIt = (f) => { try { f(); console.log("done"); } catch (error) { console.log(error.message); } };
        tryIt(() => ensureDataDir(process.argv[1]));
        tryIt(() => lockDataDir(process.argv[2]));`;
      const run = spawnSync(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script, dir, readOnly],
        { cwd: REPO, uid: 65534, gid: 65534, encoding: "utf8" },
      );
      expect(run.stdout.trim().split("\n"), run.stderr).toEqual(expected);
    } else {
      chmodSync(parent, 0o500);
      chmodSync(readOnly, 0o500);
      try {
        expect(() => ensureDataDir(dir)).toThrow(expected[0]);
        expect(() => lockDataDir(readOnly)).toThrow(expected[1]);
      } finally {
        chmodSync(parent, 0o700);
        chmodSync(readOnly, 0o700);
      }
    }
  });

  test("a missing directory is made 0700; an existing one keeps its mode", () => {
    const dir = join(tempDir("data-dir"), "new", "data");
    expect(ensureDataDir(dir)).toBe(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(dir, 0o750);
    ensureDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o750);
  });
});

describe("lockDataDir", () => {
  test("the lock is 0600, names this process, leaves no other file, and release removes it", () => {
    const dir = tempDir("lock");
    const lock = lockDataDir(dir);
    expect(lockOf(dir)).toEqual(me);
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a second lock in the same process is refused, naming the directory and this pid", () => {
    const dir = tempDir("lock");
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(
      `data directory ${dir} is in use by another jobd (pid ${process.pid} on ${hostname()})`,
    );
    lock.release();
    lockDataDir(dir).release();
  });

  test("a live process on this host holds it", () => {
    const dir = tempDir("lock");
    const holder = { pid: process.ppid, hostname: hostname() };
    writeLock(dir, holder);
    expect(() => lockDataDir(dir)).toThrow(
      `in use by another jobd (pid ${holder.pid} on ${holder.hostname})`,
    );
    expect(lockOf(dir)).toEqual(holder);
  });

  test("a lock from another host is refused, naming the host and the file to delete if it is gone", () => {
    const dir = tempDir("lock");
    writeLock(dir, { pid: deadPid(), hostname: "elsewhere.example" });
    expect(() => lockDataDir(dir)).toThrow(
      /in use by another jobd \(pid \d+ on elsewhere\.example\).*cannot check a process on another host/,
    );
    expect(() => lockDataDir(dir)).toThrow(`delete ${join(dir, LOCK_FILE)}`);
  });

  test.each([
    ["a dead pid on this host", () => ({ pid: deadPid(), hostname: hostname() })],
    ["this pid, not held by this process (a previous process with the same pid)", () => me],
    ["an empty lock left by a crash", () => ""],
    ["garbage left by a crash", () => "{not json"],
    ["JSON without a pid", () => ({ hostname: hostname() })],
  ])("%s is taken over", (_, content) => {
    const dir = tempDir("lock");
    writeLock(dir, content());
    age(join(dir, LOCK_FILE), 10_000);
    const lock = lockDataDir(dir);
    expect(lockOf(dir)).toEqual(me);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });

  test("an empty lock young enough to be still being written is waited for, then taken over", () => {
    const dir = tempDir("lock");
    writeLock(dir, "");
    const started = Date.now();
    lockDataDir(dir).release();
    expect(Date.now() - started).toBeGreaterThanOrEqual(UNREADABLE_GRACE_MS - 100);
  });

  test("a takeover guard left by a crash is cleared", () => {
    const dir = tempDir("lock");
    writeLock(dir, { pid: deadPid(), hostname: hostname() });
    writeFileSync(join(dir, TAKEOVER_FILE), "");
    age(join(dir, TAKEOVER_FILE), 60_000);
    lockDataDir(dir).release();
    expect(readdirSync(dir)).toEqual([]);
  });

  test("temp files left by a crashed creation are cleared once old", () => {
    const dir = tempDir("lock");
    const old = join(dir, `${LOCK_FILE}.4242.abcdef.tmp`);
    const young = join(dir, `${LOCK_FILE}.4243.abcdef.tmp`);
    writeFileSync(old, "");
    writeFileSync(young, "");
    age(old, 10 * 60_000);
    lockDataDir(dir).release();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(young)).toBe(true);
  });

  test("release leaves a lock that is no longer this process's", () => {
    const dir = tempDir("lock");
    const lock = lockDataDir(dir);
    const other = { pid: process.ppid, hostname: hostname() };
    writeLock(dir, other);
    lock.release();
    expect(lockOf(dir)).toEqual(other);
  });
});

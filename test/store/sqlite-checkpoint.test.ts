/**
 * At `synchronous=NORMAL` the SQLite store's WAL checkpoints run on a worker thread
 * (src/store/sqlite/wal-checkpointer.ts): the main connection does not checkpoint inside its commits,
 * the worker copies the WAL into jobs.db while the main thread does nothing, a sustained burst of
 * writes keeps the WAL bounded, close() ends the worker and leaves no WAL behind, and a failed worker
 * hands checkpoints back to the main connection. At FULL there is no worker. Real files and threads.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { DB_FILE, openDatabase } from "../../src/store/sqlite/open-database.js";
import { SqliteJobStore } from "../../src/store/sqlite/sqlite-job-store.js";
import { CATCH_UP_FRAMES, WalCheckpointer } from "../../src/store/sqlite/wal-checkpointer.js";
import { makeJob } from "../support/job-factory.js";
import { tempDir } from "../support/temp-dir.js";

const STORE_MODULE = fileURLToPath(new URL("../../src/store/sqlite/sqlite-job-store.ts", import.meta.url));
const FACTORY_MODULE = fileURLToPath(new URL("../support/job-factory.ts", import.meta.url));
/** A WAL frame: a 4 KiB page and its 24-byte header. */
const FRAME_BYTES = 4096 + 24;

const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const threadCount = () => Number(/Threads:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);

/** Resolves once `condition` holds, checking every 20 ms; fails after `ms`. */
async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  for (const deadline = Date.now() + ms; !condition(); await sleep(20))
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

test("the worker, not the committing connection, copies the WAL into jobs.db", async () => {
  const { db, lock } = openDatabase(tempDir("sqlite-checkpoint"), "normal");
  const dbFile = db.name;
  const checkpointer = new WalCheckpointer(db, console);
  expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
  db.exec("CREATE TABLE scratch (b BLOB)");
  const insert = db.prepare("INSERT INTO scratch VALUES (randomblob(4000))");
  const before = sizeOf(dbFile);
  // ~1,500 pages in one commit: SQLite's automatic checkpoint (1,000 pages) would copy them at once.
  db.transaction(() => {
    for (let i = 0; i < 1500; i++) insert.run();
  })();
  expect(sizeOf(dbFile)).toBe(before);
  checkpointer.noteCommit(); // the worker checkpoints at most 100 ms after a commit it is told of
  await waitFor(() => sizeOf(dbFile) > before + 1500 * 4000, 5000, "the worker's checkpoint");
  await checkpointer.stop();
  db.close();
  lock.release();
});

test("a sustained burst of writes keeps the WAL bounded", { timeout: 60_000 }, async () => {
  const dir = tempDir("sqlite-checkpoint");
  const store = SqliteJobStore.open({ dataDir: dir, sync: "normal" });
  const wal = join(dir, `${DB_FILE}-wal`);
  // The writer starts the WAL over at the first pass that finds CATCH_UP_FRAMES in it; how far past
  // that the WAL gets depends on how fast the disk takes the worker's fsyncs (peaks of 40-120 MiB
  // measured on a 2-core VM). One awaited create at a time, each its own commit of ~11 pages: 16,000
  // append ~3 times the bound, so the WAL stays under it only if it is started over as it goes.
  const bound = 16 * CATCH_UP_FRAMES * FRAME_BYTES;
  let largest = 0;
  for (let n = 0; n < 16_000; n++) {
    await store.create(makeJob({ payload: { n } }));
    if (n % 100 === 0) largest = Math.max(largest, sizeOf(wal));
  }
  await store.close();
  expect(largest).toBeGreaterThan(0);
  expect(largest).toBeLessThanOrEqual(bound);
});

test("close() ends the worker thread and leaves no WAL behind", async () => {
  const dir = tempDir("sqlite-checkpoint");
  await SqliteJobStore.open({ dataDir: dir, sync: "normal" }).close(); // loads the worker's code once
  const before = threadCount();
  const store = SqliteJobStore.open({ dataDir: dir, sync: "normal" });
  await store.createMany(Array.from({ length: 500 }, () => makeJob()));
  expect(threadCount()).toBe(before + 1);
  await store.close();
  expect(threadCount()).toBe(before);
  expect(existsSync(join(dir, `${DB_FILE}-wal`))).toBe(false);
  const reopened = SqliteJobStore.open({ dataDir: dir, sync: "normal" });
  expect((await reopened.counts()).counts.queued).toBe(500);
  await reopened.close();
});

test("a store left open does not keep the process alive (the worker runs in any module mode)", async () => {
  const dataDir = tempDir("sqlite-checkpoint");
  const source = `
    import { SqliteJobStore } from ${JSON.stringify(STORE_MODULE)};
    import { makeJob } from ${JSON.stringify(FACTORY_MODULE)};
    const store = SqliteJobStore.open({ dataDir: ${JSON.stringify(dataDir)}, sync: "normal" });
    await store.create(makeJob());
    await new Promise((resolve) => setTimeout(resolve, 300)); // a worker that failed would have said so
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.once("close", (...outcome) => resolve(outcome)),
  );
  clearTimeout(killer);
  expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
});

test("at synchronous=FULL the store starts no worker thread", async () => {
  const dir = tempDir("sqlite-checkpoint");
  await SqliteJobStore.open({ dataDir: dir, sync: "normal" }).close(); // as above, for a fair count
  const before = threadCount();
  const store = SqliteJobStore.open({ dataDir: dir, sync: "full" });
  await store.create(makeJob());
  expect(threadCount()).toBe(before);
  await store.close();
});

test("if the worker fails, the main connection checkpoints by itself again and says so", async () => {
  const dir = tempDir("sqlite-checkpoint");
  const file = join(dir, DB_FILE);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (x)");
  // The worker opens the database by its name, which is now a directory: it cannot.
  renameSync(file, join(dir, "moved.db"));
  mkdirSync(file);
  const warnings: string[] = [];
  const checkpointer = new WalCheckpointer(db, { warn: (message) => warnings.push(message) });
  expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
  await waitFor(() => warnings.length > 0, 5000, "the failure to be reported");
  expect(warnings[0]).toMatch(/checkpointer thread failed/);
  expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  await checkpointer.stop();
  db.close();
});

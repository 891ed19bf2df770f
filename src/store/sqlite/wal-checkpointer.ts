/**
 * Checkpoints the WAL from a worker thread, for `synchronous=NORMAL`. SQLite's automatic checkpoint
 * runs inside a COMMIT on the main thread every 1,000 WAL pages: it copies them into the database file
 * and fsyncs both files. At NORMAL the WAL has not been fsynced yet, so that checkpoint writes ~4 MiB
 * to disk and stalls the event loop ~2.5 ms (at FULL, where every commit has already fsynced the WAL,
 * it takes ~0.5 ms, and the store keeps it: docs/sqlite-store.md, "WAL checkpoints").
 *
 * The main connection gets `wal_autocheckpoint = 0`, and a worker with a second connection runs
 * PASSIVE checkpoints, which never block the writer, every 100 commits or so. A PASSIVE checkpoint
 * copies the frames that exist when it starts; under sustained writes new ones keep arriving, and
 * SQLite starts the WAL over only once a checkpoint has copied every frame before a write begins. So
 * once the WAL is long, the worker asks the writer to copy the few frames written since its last pass
 * (a short checkpoint on the main thread), and the writer's next commit starts the WAL over.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Database } from "better-sqlite3";
import type { StoreLogger } from "../create-store.js";

/** The worker checkpoints after this many commits: ~1,000 WAL pages of single-job commits, as SQLite. */
export const COMMITS_PER_PASS = 100;
/** Fewer commits are checkpointed once this long has passed since the last pass (light load: ≤ 10/s). */
export const QUIET_PASS_INTERVAL_MS = 100;
/** How often the worker reads the commit count. */
const POLL_MS = 10;
/** Once a pass finds this many frames in the WAL (16 MiB of 4 KiB pages), the writer starts it over. */
export const CATCH_UP_FRAMES = 4096;
/** SQLite's default, which the main connection goes back to if the worker fails. */
const AUTOCHECKPOINT_PAGES = 1000;

/**
 * The worker's program, as CommonJS source run with `eval`: a worker file would have to exist as
 * `.js` for dist/ and as `.ts` for tsx and vitest, and a worker thread cannot load `.ts` without a
 * loader; a string runs the same everywhere. It is handed better-sqlite3's resolved path, so it loads
 * the copy the store uses whatever the working directory, and a SharedArrayBuffer counting commits.
 */
const WORKER_SOURCE = `
const { parentPort, workerData: options } = require("node:worker_threads");
const Database = require(options.driver);
const db = new Database(options.file);
db.pragma("synchronous = " + options.synchronous);
const commits = new Int32Array(options.commits);
let commitsAtPass = 0;
let passedAt = 0;
let waitingForWriter = false;
let stopped = false;
const pass = () => {
  const frames = db.pragma("wal_checkpoint(PASSIVE)")[0].log; // -1: another connection is checkpointing
  if (frames < options.catchUpFrames) return;
  waitingForWriter = true;
  parentPort.postMessage("catch-up");
};
const tick = () => {
  if (stopped || waitingForWriter) return;
  const count = Atomics.load(commits, 0);
  const since = (count - commitsAtPass) | 0;
  const now = performance.now();
  if (since < options.commitsPerPass && (since === 0 || now - passedAt < options.quietPassIntervalMs)) return;
  commitsAtPass = count;
  passedAt = now;
  pass();
  setImmediate(tick); // under load the next pass is due already
};
const timer = setInterval(tick, options.pollMs);
parentPort.on("message", (message) => {
  if (message === "caught-up") return void (waitingForWriter = false);
  stopped = true;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const driver = createRequire(import.meta.url).resolve("better-sqlite3");

/**
 * Takes the WAL checkpoints of `db` over: turns its automatic checkpoint off and starts a worker thread
 * with its own connection to the same file. Call `noteCommit` after each commit. If the worker fails,
 * `db` goes back to SQLite's automatic checkpoint and `logger` is told: no write depends on the
 * worker, which only copies committed frames.
 */
export class WalCheckpointer {
  readonly #db: Database;
  readonly #logger: StoreLogger;
  readonly #commits = new Int32Array(new SharedArrayBuffer(4));
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #stopping = false;

  constructor(db: Database, logger: StoreLogger) {
    this.#db = db;
    this.#logger = logger;
    db.pragma("wal_autocheckpoint = 0");
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // None of the process's flags: `--input-type=module` would make the source ESM, `--import tsx`
      // would load a loader for nothing.
      execArgv: [],
      workerData: {
        driver,
        file: db.name,
        // The same fsyncs at a checkpoint as the main connection: the WAL before, the database file after.
        synchronous: db.pragma("synchronous", { simple: true }),
        commits: this.#commits.buffer,
        commitsPerPass: COMMITS_PER_PASS,
        quietPassIntervalMs: QUIET_PASS_INTERVAL_MS,
        pollMs: POLL_MS,
        catchUpFrames: CATCH_UP_FRAMES,
      },
    });
    this.#worker.on("message", () => this.#catchUp());
    let failure: unknown; // whatever the worker threw
    this.#worker.on("error", (error) => {
      failure = error;
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once("exit", (code) => {
        if (!this.#stopping)
          this.#fallBack(failure instanceof Error ? failure.message : `it exited with code ${code}`);
        resolve();
      });
    });
    this.#worker.unref(); // an open store never kept the process alive; after `on("message")`, which refs
  }

  /** Counts a commit of the main connection (an atomic add: the worker reads the count when it polls). */
  noteCommit(): void {
    Atomics.add(this.#commits, 0, 1);
  }

  /** Asks the worker to close its connection; resolves once its thread has exited. */
  stop(): Promise<void> {
    this.#stopping = true;
    this.#worker.ref(); // the process waits for the worker to close its connection
    this.#worker.postMessage("stop");
    return this.#exited;
  }

  /** Copies the frames written since the worker's last pass, so the next commit starts the WAL over. */
  #catchUp(): void {
    if (this.#stopping) return;
    try {
      this.#db.pragma("wal_checkpoint(PASSIVE)");
    } catch (error) {
      this.#logger.warn(`SQLite WAL checkpoint failed: ${(error as Error).message}`);
    }
    this.#worker.postMessage("caught-up");
  }

  #fallBack(reason: string): void {
    this.#db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    this.#logger.warn(
      `the SQLite WAL checkpointer thread failed (${reason}); checkpointing on the main thread instead`,
    );
  }
}

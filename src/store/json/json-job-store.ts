/**
 * JsonJobStore (DESIGN.md §3): every job in memory (the shared JobIndex), made durable in
 * `<dataDir>/jobs.journal` (one line per change, group-committed) and compacted into the snapshot
 * `<dataDir>/jobs.json` by `flush()`: every `autoSaveInterval` seconds when something changed, and at
 * close, so after a clean stop the journal is empty. One server owns the directory (`jobd.lock`).
 *
 * Known limits: every job is held in memory; `flush()` writes every job, so its cost grows with the
 * store (not with the changes); a failed journal write stops all writes until a restart.
 */
import { join } from "node:path";
import type { StoreLogger } from "../create-store.js";
import { type DataDirLock, ensureDataDir, lockDataDir } from "../data-dir.js";
import { IndexedJobStore } from "../memory/indexed-job-store.js";
import { JobIndex } from "../memory/job-index.js";
import { Journal } from "./journal.js";
import { loadJobFiles } from "./load-files.js";
import { writeSnapshot } from "./snapshot-file.js";

export const SNAPSHOT_FILE = "jobs.json";
export const JOURNAL_FILE = "jobs.journal";
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface JsonJobStoreOptions {
  /** Created 0700 if missing. */
  dataDir: string;
  /** Seconds between snapshots when something changed; 0 turns them off (close still flushes). Default 30. */
  autoSaveInterval?: number;
  /** Told about a torn journal tail and failed auto-saves; defaults to `console`. */
  logger?: StoreLogger;
}

/** The JSON backend: a snapshot plus an append-only journal, with every job cached in memory. */
export class JsonJobStore extends IndexedJobStore {
  readonly backend = "json";
  readonly durability = "power-loss";
  readonly capabilities = { persistent: true, singleNode: true };
  readonly snapshotPath: string;
  private flushes: Promise<void> = Promise.resolve();
  private readonly autoSave: NodeJS.Timeout | undefined;

  private constructor(
    index: JobIndex,
    private readonly journal: Journal,
    private readonly lock: DataDirLock,
    dataDir: string,
    private readonly options: JsonJobStoreOptions,
  ) {
    super(index, journal);
    this.snapshotPath = join(dataDir, SNAPSHOT_FILE);
    const seconds = options.autoSaveInterval ?? 30;
    // setInterval turns a delay past 2^31-1 ms (24.8 days) into 1 ms: clamp instead.
    const delay = Math.min(seconds * 1000, MAX_TIMER_MS);
    if (seconds > 0) this.autoSave = setInterval(() => this.autoFlush(), delay).unref();
  }

  /** Creates the directory if needed, takes its lock, and loads the jobs (see `load`). */
  static async open(options: JsonJobStoreOptions): Promise<JsonJobStore> {
    const dataDir = ensureDataDir(options.dataDir);
    const lock = lockDataDir(dataDir);
    try {
      const { index, journal } = await JsonJobStore.load(dataDir, options.logger ?? console);
      return new JsonJobStore(index, journal, lock, dataDir, options);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /**
   * The spec's load(): reads jobs.json, replays jobs.journal over it and opens the journal for
   * appends. A corrupt file throws (naming file and line) and nothing is written.
   */
  static async load(dataDir: string, logger: StoreLogger): Promise<{ index: JobIndex; journal: Journal }> {
    const journalPath = join(dataDir, JOURNAL_FILE);
    const loaded = await loadJobFiles(join(dataDir, SNAPSHOT_FILE), journalPath, logger);
    const index = new JobIndex();
    for (const job of loaded.jobs.values()) index.put(job);
    return { index, journal: await Journal.open(journalPath, loaded.journalLength) };
  }

  /**
   * The spec's flush(): writes every job to jobs.json atomically, then empties the journal of what
   * the snapshot holds. Writes go on meanwhile; flushes run one at a time.
   */
  flush(): Promise<void> {
    const next = this.flushes.then(() => this.writeSnapshot());
    this.flushes = next.catch(() => {});
    return next;
  }

  protected override async shutdown(): Promise<void> {
    clearInterval(this.autoSave);
    try {
      await this.flushes;
      if (this.journal.hasChanges) await this.flush();
    } finally {
      try {
        await super.shutdown();
      } finally {
        this.lock.release();
      }
    }
  }

  private async writeSnapshot(): Promise<void> {
    await this.journal.barrier(); // a journal that failed is not flushed: memory may hold what the disk refused
    // Taken in one synchronous step, so the jobs are exactly what the journal holds up to the mark.
    const mark = this.journal.mark();
    const jobs = [...this.index.all()];
    await writeSnapshot(this.snapshotPath, jobs);
    await this.journal.dropThrough(mark);
  }

  private autoFlush(): void {
    if (!this.journal.hasChanges) return;
    this.flush().catch((error: Error) =>
      (this.options.logger ?? console).warn(`auto-save of ${this.snapshotPath} failed: ${error.message}`),
    );
  }
}

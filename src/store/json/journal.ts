/**
 * jobs.journal: one JSON line per store operation (an array of its changes, whole jobs), appended and
 * fdatasync'ed with GROUP COMMIT. A round starts once the event loop's next poll phase has passed
 * (after-next-poll.ts), and lines that arrive while a write+sync is in flight wait together and go to
 * disk in the next round, so durability costs one sync per round, not one per change; a promise
 * resolves only once its line is on disk.
 *
 * If a write or sync fails, what is in memory may no longer match the disk: the journal then refuses
 * every further change, and jobd must be restarted (it reloads what is on disk).
 */
import { constants, writeSync } from "node:fs";
import { type FileHandle, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { JobdError } from "../../domain/errors.js";
import { afterNextPoll } from "../after-next-poll.js";
import { FILE_MODE } from "../data-dir.js";
import type { ChangeLog, JobChange } from "../memory/change-log.js";
import { syncDirectory } from "./snapshot-file.js";

/** Lines waiting for one write+sync round, and the promise they share. */
class Round {
  readonly lines: string[] = [];
  readonly done: Promise<void>;
  settle!: (error?: Error) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    this.done.catch(() => {}); // whoever appended observes the failure; an unwatched barrier must not crash
  }
}

/** One change per entry, in order: `{"put": job}` or `{"delete": id}`. */
export function encodeChanges(changes: readonly JobChange[]): string {
  return JSON.stringify(changes.map((c) => (c.op === "put" ? { put: c.job } : { delete: c.id })));
}

/** The append side of jobs.journal; see the module comment. */
export class Journal implements ChangeLog {
  private waiting: Round | null = null;
  private writing: Round | null = null;
  /** `startRounds` has scheduled a start. */
  private roundsDue = false;
  private paused = false;
  private failure: Error | null = null;
  /** Bytes appended (written or waiting) since the journal was last emptied. */
  private appendedBytes: number;
  /** Of those, the bytes already in the file. */
  private writtenBytes: number;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
    size: number,
  ) {
    this.appendedBytes = size;
    this.writtenBytes = size;
  }

  /** Opens `path` for appending, cutting it to `validLength` bytes (a torn tail load() skipped). */
  static async open(path: string, validLength: number): Promise<Journal> {
    const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, FILE_MODE);
    if ((await handle.stat()).size !== validLength) {
      await handle.truncate(validLength);
      await handle.datasync();
    }
    await syncDirectory(dirname(path));
    return new Journal(path, handle, validLength);
  }

  /** True if the journal holds changes the snapshot does not. */
  get hasChanges(): boolean {
    return this.appendedBytes > 0;
  }

  append(changes: readonly JobChange[]): Promise<void> {
    if (this.failure) return Promise.reject(this.refusal());
    const line = `${encodeChanges(changes)}\n`;
    const round = this.waiting ?? new Round();
    this.waiting = round;
    round.lines.push(line);
    this.appendedBytes += Buffer.byteLength(line);
    this.startRounds();
    return round.done;
  }

  barrier(): Promise<void> {
    if (this.failure) return Promise.reject(this.refusal());
    return (this.waiting ?? this.writing)?.done ?? Promise.resolve();
  }

  /** Where the journal will end once every line appended so far is written: `dropThrough`'s argument. */
  mark(): number {
    return this.appendedBytes;
  }

  /**
   * Removes the first `mark` bytes (what a new snapshot now holds), keeping the lines appended since.
   * Appends wait meanwhile. An empty remainder is a truncate; else the rest is rewritten to a temp
   * file renamed over the journal, so a crash leaves either journal, both of which replay correctly.
   */
  async dropThrough(mark: number): Promise<void> {
    this.paused = true;
    try {
      await this.writing?.done;
      const pending = this.waiting;
      this.waiting = null;
      if (pending) await this.writeRound(pending);
      if (this.failure) throw this.refusal(); // never cut a journal that may not hold what memory does
      await this.guard(() => this.cut(mark));
    } finally {
      this.paused = false;
      this.startRounds();
    }
  }

  async close(): Promise<void> {
    await this.barrier().catch(() => {});
    await this.handle.close();
  }

  /** Drops the first `mark` bytes of the file; lines still waiting are not in it yet and stay waiting. */
  private async cut(mark: number): Promise<void> {
    const rest = this.writtenBytes - mark;
    if (rest === 0) {
      await this.handle.truncate(0);
      await this.handle.datasync();
    } else {
      const reader = await open(this.path, constants.O_RDONLY);
      const tail = Buffer.alloc(rest);
      const { bytesRead } = await reader.read(tail, 0, rest, mark).finally(() => reader.close());
      if (bytesRead !== rest)
        throw new Error(`${this.path} is shorter than the ${this.writtenBytes} bytes written`);
      const temp = `${this.path}.tmp`;
      const writer = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, FILE_MODE);
      await writer.writeFile(tail);
      await writer.sync();
      await writer.close();
      await rename(temp, this.path);
      await syncDirectory(dirname(this.path));
      await this.handle.close();
      this.handle = await open(this.path, constants.O_WRONLY | constants.O_APPEND, FILE_MODE);
    }
    this.writtenBytes -= mark;
    this.appendedBytes -= mark;
  }

  /** Starts the rounds once the lines of this turn and the next poll phase are in (after-next-poll.ts). */
  private startRounds(): void {
    if (this.writing || this.paused || !this.waiting || this.roundsDue) return;
    this.roundsDue = true;
    afterNextPoll(() => {
      this.roundsDue = false;
      if (!this.writing && !this.paused && this.waiting) void this.runRounds();
    });
  }

  /** Writes waiting rounds one after another until none waits (or a flush pauses the journal). */
  private async runRounds(): Promise<void> {
    while (this.waiting && !this.paused) {
      const round = this.waiting;
      this.waiting = null;
      await this.writeRound(round);
    }
  }

  private async writeRound(round: Round): Promise<void> {
    this.writing = round;
    try {
      const bytes = Buffer.from(round.lines.join(""));
      await this.guard(async () => {
        // Written on this thread (it lands in the page cache in µs), then synced on the thread pool:
        // one thread-pool round trip per round instead of two.
        for (let at = 0; at < bytes.length; ) at += writeSync(this.handle.fd, bytes, at);
        await this.handle.datasync();
      });
      this.writtenBytes += bytes.length;
      round.settle();
    } catch {
      round.settle(this.refusal());
      this.waiting?.settle(this.refusal());
      this.waiting = null;
    } finally {
      this.writing = null;
    }
  }

  /** Runs a file operation; a failure poisons the journal (memory and disk may differ from now on). */
  private async guard(operation: () => Promise<void>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      this.failure ??= error as Error;
      throw error;
    }
  }

  private refusal(): JobdError {
    return new JobdError(
      "unavailable",
      `the journal ${this.path} could not be written (${this.failure?.message}); restart jobd to reload what is on disk`,
    );
  }
}

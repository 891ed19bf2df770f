/**
 * load(): the snapshot, then the journal replayed over it. A torn last journal line (a write the crash
 * cut short, never acknowledged) is skipped with a warning naming the file and line; any other bad line,
 * or a corrupt snapshot, throws a CorruptFileError naming file and line, and nothing is written.
 *
 * Torn means: no newline at its end, or not JSON at all. A newline does not prove a line whole — after a
 * power cut the disk may hold a later page of a write and not an earlier one — but a line that is valid
 * JSON and still not a list of valid changes was written whole, wrongly: that is corruption.
 *
 * Replay goes into a plain map and the index is built from the end state, so replaying lines the
 * snapshot already holds (a crash between writing the snapshot and emptying the journal) is harmless.
 */
import type { Job } from "../../domain/job.js";
import type { StoreLogger } from "../create-store.js";
import { CorruptFileError, toJob } from "./job-record.js";
import { type FileLine, readLines } from "./line-reader.js";
import { readSnapshot } from "./snapshot-file.js";

export interface LoadedJobs {
  /** Every job, after the journal's changes. */
  jobs: Map<string, Job>;
  /** The journal's length without a torn tail: appends continue from here. */
  journalLength: number;
}

type ReplayChange = { put: Job } | { delete: string };

/** Reads `snapshotPath` and replays `journalPath` (either may be missing). */
export async function loadJobFiles(
  snapshotPath: string,
  journalPath: string,
  logger: StoreLogger,
): Promise<LoadedJobs> {
  const jobs = new Map<string, Job>();
  for (const job of (await readSnapshot(snapshotPath)) ?? []) jobs.set(job.id, job);
  let journalLength = 0;
  let torn: { line: FileLine; reason: string } | null = null;
  for await (const line of journalLines(journalPath)) {
    if (torn) throw new CorruptFileError(journalPath, torn.line.number, torn.reason);
    if (!line.terminated) {
      torn = { line, reason: "ends without a newline" };
      continue;
    }
    const value = parseJson(line.text);
    if (value instanceof Error) {
      torn = { line, reason: value.message };
      continue;
    }
    try {
      for (const change of toChanges(value)) applyChange(jobs, change);
    } catch (error) {
      throw new CorruptFileError(journalPath, line.number, (error as Error).message);
    }
    journalLength = line.end;
  }
  if (torn)
    logger.warn(
      `${journalPath}: ignored the torn last line ${torn.line.number} (${torn.reason}): a write cut short by a crash, never acknowledged`,
    );
  return { jobs, journalLength };
}

async function* journalLines(path: string): AsyncGenerator<FileLine> {
  try {
    yield* readLines(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** The line's JSON value, or an Error saying it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return new Error(`is not valid JSON (${(error as Error).message})`);
  }
}

/** A journal line's changes; throws a description of what is wrong. All are checked before any applies. */
function toChanges(value: unknown): ReplayChange[] {
  if (!Array.isArray(value)) throw new Error("is not a list of changes");
  return value.map((change: unknown): ReplayChange => {
    const entry = (change ?? {}) as { put?: unknown; delete?: unknown };
    if (entry.put !== undefined) return { put: toJob(entry.put) };
    if (typeof entry.delete === "string") return { delete: entry.delete };
    throw new Error("has a change that is neither a put nor a delete");
  });
}

function applyChange(jobs: Map<string, Job>, change: ReplayChange): void {
  if ("put" in change) jobs.set(change.put.id, change.put);
  else jobs.delete(change.delete);
}

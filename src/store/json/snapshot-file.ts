/**
 * jobs.json, the snapshot: valid JSON, written one job per line so that a damaged file is reported by
 * line and a large one is streamed both ways:
 *
 *   {"jobd":"jobs","version":1,"jobs":[
 *   {…job…},
 *   {…job…}
 *   ]}
 *
 * It is replaced atomically (temp file, fsync, rename, fsync of the directory), so a reader sees the
 * old snapshot or the new one, never a half-written one.
 */
import { constants } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Job } from "../../domain/job.js";
import { FILE_MODE } from "../data-dir.js";
import { CorruptFileError, toJob } from "./job-record.js";
import { readLines } from "./line-reader.js";

const HEADER = '{"jobd":"jobs","version":1,"jobs":[';
const FOOTER = "]}";
/** Lines are written in chunks of about this many bytes. */
const CHUNK_BYTES = 1 << 20;

/** The jobs of the snapshot at `path`, or null if there is none; throws CorruptFileError. */
export async function readSnapshot(path: string): Promise<Job[] | null> {
  const jobs: Job[] = [];
  let state: "header" | "jobs" | "footer" | "end" = "header";
  let last = 0;
  try {
    for await (const line of readLines(path)) {
      last = line.number;
      const fail = (reason: string) => new CorruptFileError(path, line.number, reason);
      if (state === "header") {
        if (line.text !== HEADER) throw fail("is not the header of a jobd snapshot");
        state = "jobs";
      } else if (state === "jobs" && line.text === FOOTER) {
        state = line.terminated ? "end" : "footer";
      } else if (state === "jobs") {
        jobs.push(parseJobLine(line.text, fail));
      } else if (line.text !== "") throw fail("follows the end of the snapshot");
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  if (state === "header" || state === "jobs")
    throw new CorruptFileError(path, last + 1, "is missing: the snapshot is truncated");
  return jobs;
}

/** One job line: the job, and a comma on all but the last (the comma is not checked: the job is what counts). */
function parseJobLine(text: string, fail: (reason: string) => Error): Job {
  try {
    return toJob(JSON.parse(text.endsWith(",") ? text.slice(0, -1) : text));
  } catch (error) {
    throw fail(
      error instanceof SyntaxError ? `is not valid JSON (${error.message})` : (error as Error).message,
    );
  }
}

/** Replaces the snapshot at `path` with `jobs`, atomically and durably. */
export async function writeSnapshot(path: string, jobs: readonly Job[]): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, FILE_MODE);
  try {
    let chunk = `${HEADER}\n`;
    for (let i = 0; i < jobs.length; i++) {
      chunk += `${JSON.stringify(jobs[i])}${i < jobs.length - 1 ? "," : ""}\n`;
      if (chunk.length >= CHUNK_BYTES) {
        await handle.writeFile(chunk);
        chunk = "";
      }
    }
    await handle.writeFile(`${chunk}${FOOTER}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  await syncDirectory(dirname(path));
}

/** Makes a rename or a new file in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file line by line with what load() needs and readline hides: the 1-based line number,
 * whether the line ended with "\n" (a torn tail does not), and the byte offset where it ends.
 * Streams, so a snapshot larger than the biggest possible string still loads.
 */
import { createReadStream } from "node:fs";

export interface FileLine {
  text: string;
  number: number;
  /** False only for a last line with no "\n" after it. */
  terminated: boolean;
  /** Byte offset just past the line (and its "\n"). */
  end: number;
}

const NEWLINE = 0x0a;
/** Bigger reads than the stream's 64 KiB default: a snapshot loads in fewer turns. */
const READ_CHUNK_BYTES = 1 << 20;

/** Yields every line of `path`, the unterminated tail included (an empty tail is not yielded). */
export async function* readLines(path: string): AsyncGenerator<FileLine> {
  let pending: Buffer[] = [];
  let number = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path, {
    highWaterMark: READ_CHUNK_BYTES,
  }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, start)) {
      // Only a line split across reads is copied; the rest are decoded in place.
      const bytes =
        pending.length === 0
          ? chunk.subarray(start, at)
          : Buffer.concat([...pending, chunk.subarray(start, at)]);
      pending = [];
      offset += bytes.length + 1;
      yield { text: bytes.toString("utf8"), number: ++number, terminated: true, end: offset };
      start = at + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) {
    const bytes = Buffer.concat(pending);
    yield { text: bytes.toString("utf8"), number: number + 1, terminated: false, end: offset + bytes.length };
  }
}

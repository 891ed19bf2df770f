/**
 * One Server-Sent Events stream of job events on a raw response: the headers, an event per matching
 * job change, a comment line every 15 s so proxies keep an idle stream open, and a clean end. A client
 * that stops reading is dropped rather than buffered without bound.
 */
import type { ServerResponse } from "node:http";
import type { Job } from "../domain/job.js";
import { JOB_EVENTS, type JobEventName, type JobQueueApi } from "../queue/job-queue-api.js";

export const SSE_HEARTBEAT_MS = 15_000;
/** A client this far behind is disconnected. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface EventStreamOptions {
  raw: ServerResponse;
  queue: JobQueueApi;
  requestId: string;
  /** Only jobs for which this is true are sent. */
  matches: (job: Job) => boolean;
  /** The job's wire JSON. */
  serialize: (job: Job) => string;
}

/** Starts streaming; returns the function that ends the stream (also called when the client leaves). */
export function startEventStream({
  raw,
  queue,
  requestId,
  matches,
  serialize,
}: EventStreamOptions): () => void {
  raw.writeHead(200, {
    "x-request-id": requestId,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
  });
  raw.write(": connected\n\n");
  const send = (name: JobEventName, job: Job) => {
    if (matches(job)) write(raw, `event: ${name}\ndata: ${serialize(job)}\n\n`);
  };
  const listeners = JOB_EVENTS.map((name) => [name, (job: Job) => send(name, job)] as const);
  for (const [name, listener] of listeners) queue.on(name, listener);
  const heartbeat = setInterval(() => write(raw, ": heartbeat\n\n"), SSE_HEARTBEAT_MS);
  const end = () => {
    clearInterval(heartbeat);
    for (const [name, listener] of listeners) queue.off(name, listener);
    raw.end();
  };
  raw.once("close", end);
  raw.once("error", end); // A broken socket: same as a client that left.
  return end;
}

function write(raw: ServerResponse, text: string): void {
  if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
  else raw.write(text);
}

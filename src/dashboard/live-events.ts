/**
 * Follows `GET /api/events` with a streaming `fetch` (EventSource cannot send the Authorization
 * header, and a token never goes into a URL). Reconnects with backoff when the stream ends; a 401
 * stops it until the app restarts it with a token.
 */
import { errorFrom } from "./api.js";
import { SseParser } from "./sse-parser.js";
import { authHeaders } from "./token.js";
import type { JobEventName, JobJson } from "./wire.js";

/** The stream's condition, for the header's indicator. */
export type LiveState = "connecting" | "live" | "offline" | "unauthorized";

/** What the app hears from the stream. */
export interface LiveListener {
  event(name: JobEventName, job: JobJson): void;
  /** Called on every change of state; `live` again after a reconnect means events may have been missed. */
  state(state: LiveState): void;
}

const MAX_BACKOFF_MS = 10_000;

/** Opens the stream and keeps it open; call the returned function to stop. */
export function followEvents(listener: LiveListener): () => void {
  const controller = new AbortController();
  void run(listener, controller.signal);
  return () => controller.abort();
}

async function run(listener: LiveListener, signal: AbortSignal): Promise<void> {
  let backoff = 500;
  while (!signal.aborted) {
    listener.state("connecting");
    const outcome = await readStream(listener, signal).catch(() => "dropped" as const);
    if (signal.aborted) return;
    if (outcome === "unauthorized") return listener.state("unauthorized");
    if (outcome === "read") backoff = 500;
    listener.state("offline");
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

/** One connection: resolves when it ends, saying whether events were read at all. */
async function readStream(
  listener: LiveListener,
  signal: AbortSignal,
): Promise<"read" | "dropped" | "unauthorized"> {
  const headers = { accept: "text/event-stream", ...authHeaders() };
  const response = await fetch("/api/events", { headers, signal, cache: "no-store" });
  if (response.status === 401) {
    await errorFrom(response);
    return "unauthorized";
  }
  if (!response.ok || !response.body) return "dropped";
  listener.state("live");
  const parser = new SseParser();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return "read";
    for (const message of parser.push(value)) deliver(listener, message.event, message.data);
  }
}

function deliver(listener: LiveListener, event: string, data: string): void {
  let job: JobJson;
  try {
    job = JSON.parse(data) as JobJson;
  } catch {
    return; // Not a job event (a keep-alive with data, say): nothing to show.
  }
  listener.event(event as JobEventName, job);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `GET /api/events` over a real socket (inject cannot read a stream that never ends). */
import { get, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { JobJson } from "../../src/domain/job.js";
import { SSE_HEARTBEAT_MS } from "../../src/http/event-stream.js";
import { JOB_EVENTS } from "../../src/queue/job-queue-api.js";
import { createJob, leaseOne, post, type ServerFixture, startServer } from "./server-fixture.js";

interface SseEvent {
  event: string;
  data: JobJson;
}

let server: ServerFixture;
let base: string;
beforeEach(async () => {
  server = await startServer();
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});
afterEach(() => server.close());

/** Opens the stream; returns the response, its reader and a reader of parsed events. */
async function openEvents(query = "") {
  // Left open: closing the server ends it (an aborted fetch would leave undici's spare connection behind).
  const res = await fetch(`${base}/api/events${query}`);
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error("no body");
  let buffer = "";
  const next = async (): Promise<SseEvent> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) return { event, data: JSON.parse(data) };
        continue;
      }
      const chunk = await reader.read();
      if (chunk.done) throw new Error("stream ended");
      buffer += chunk.value;
    }
  };
  return { res, next, reader };
}

const listenerCount = () =>
  JOB_EVENTS.reduce(
    (n, name) =>
      n +
      ((server.queue as unknown as { events: { listeners: Map<string, Set<unknown>> } }).events.listeners.get(
        name,
      )?.size ?? 0),
    0,
  );

test("streams each job change as `event: <name>` with the job JSON", async () => {
  const stream = await openEvents();
  expect(stream.res.status).toBe(200);
  expect(stream.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const created = await createJob(server.app);
  expect(await stream.next()).toEqual({ event: "created", data: created });
  const leased = await leaseOne(server.app);
  expect(await stream.next()).toMatchObject({
    event: "started",
    data: { id: created.id, status: "processing" },
  });
  await post(server.app, `/api/jobs/${leased.id}/heartbeat`, { worker_id: "w1", attempt: 1, progress: 50 });
  expect(await stream.next()).toMatchObject({ event: "progress", data: { progress: 50 } });
  await post(server.app, `/api/jobs/${leased.id}/complete`, { worker_id: "w1", attempt: 1, result: 7 });
  expect(await stream.next()).toMatchObject({ event: "completed", data: { status: "completed", result: 7 } });
  await server.app.inject({ method: "DELETE", url: `/api/jobs/${created.id}` });
  expect(await stream.next()).toMatchObject({ event: "deleted", data: { id: created.id } });
});

test("a comment line every 15 s keeps an idle stream open", async () => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  try {
    const stream = await openEvents();
    vi.advanceTimersByTime(SSE_HEARTBEAT_MS);
    let text = "";
    while (!text.includes(": heartbeat\n\n")) text += (await stream.reader.read()).value ?? "";
    expect(text.startsWith(": connected\n\n")).toBe(true);
  } finally {
    vi.useRealTimers();
  }
});

test("HEAD does not open a stream", async () => {
  expect((await fetch(`${base}/api/events`, { method: "HEAD" })).status).toBe(404);
});

test("filters by type and by job_id", async () => {
  const byType = await openEvents("?type=wanted,also");
  await createJob(server.app, { type: "unwanted" });
  const wanted = await createJob(server.app, { type: "wanted" });
  expect((await byType.next()).data.id).toBe(wanted.id);

  const target = await createJob(server.app, { type: "x" });
  const byJob = await openEvents(`?job_id=${target.id.toUpperCase()}`); // UUIDs are case-insensitive
  await createJob(server.app, { type: "x" });
  await post(server.app, `/api/jobs/${target.id}/cancel`, undefined);
  expect(await byJob.next()).toMatchObject({ event: "cancelled", data: { id: target.id } });
});

test("a client that goes away is unsubscribed", async () => {
  const before = listenerCount();
  // node:http rather than fetch: an aborted fetch leaves a spare connection that would delay close().
  const req = get(`${base}/api/events`);
  const res = await new Promise<IncomingMessage>((resolve) => req.once("response", resolve));
  await new Promise((resolve) => res.once("data", resolve));
  expect(listenerCount()).toBe(before + JOB_EVENTS.length);
  req.destroy();
  await expect.poll(listenerCount).toBe(before);
});

test("closing the server ends open streams instead of waiting for them", async () => {
  const stream = await openEvents();
  await server.app.close();
  let ended = false;
  while (!ended) ended = (await stream.reader.read().catch(() => ({ done: true }))).done;
  expect(ended).toBe(true);
});

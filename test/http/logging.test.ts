import { Writable } from "node:stream";
import pino from "pino";
import { expect, test } from "vitest";
import { buildServer } from "../../src/http/build-server.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { MemoryJobStore } from "../../src/store/memory/memory-job-store.js";

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream, logger: pino({ level: "info" }, stream) };
}

type Capture = ReturnType<typeof capturingLogger>;

test.each([
  ["a shared pino instance", ({ logger }: Capture) => ({ loggerInstance: logger })],
  ["pino options", ({ stream }: Capture) => ({ logger: { level: "info", stream } })],
])("logs each request with its request id, and why a request was refused (%s)", async (_name, option) => {
  const capture = capturingLogger();
  const { lines } = capture;
  const queue = new JobQueue({ store: await MemoryJobStore.open() });
  const app = buildServer({ queue, isReady: () => true, maxPayloadBytes: 1000, ...option(capture) });
  const res = await app.inject({
    method: "GET",
    url: "/api/jobs?limit=abc",
    headers: { "x-request-id": "r-1" },
  });
  expect(res.statusCode).toBe(400);
  const mine = lines.filter((l) => l.reqId === "r-1");
  expect(mine.map((l) => l.msg)).toEqual(["incoming request", "request rejected", "request completed"]);
  expect(mine[1]).toMatchObject({ code: "invalid_request", message: expect.stringContaining('"limit"') });
  await app.close();
  await queue.shutdown(0);
});

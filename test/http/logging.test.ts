import { Writable } from "node:stream";
import pino from "pino";
import { expect, test } from "vitest";
import { createServer } from "../../src/app/create-server.js";
import { buildServer } from "../../src/http/build-server.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { MemoryJobStore } from "../../src/store/memory/memory-job-store.js";

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream, level, logger: pino({ level }, stream) };
}

type Capture = ReturnType<typeof capturingLogger>;

const loggerOptions = [
  ["a shared pino instance", ({ logger }: Capture) => ({ loggerInstance: logger })],
  ["pino options", ({ stream, level }: Capture) => ({ logger: { level, stream } })],
] as const;

/** A server logging into a fresh capture at `level`; `send` injects one request with id `r-1`. */
async function loggingServer(level: string, option: (capture: Capture) => object) {
  const capture = capturingLogger(level);
  const queue = new JobQueue({ store: await MemoryJobStore.open() });
  const app = buildServer({ queue, isReady: () => true, maxPayloadBytes: 1000, ...option(capture) });
  const send = (method: "GET" | "POST", url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: { "x-request-id": "r-1" } });
  const mine = () => capture.lines.filter((l) => l.reqId === "r-1");
  const close = async () => {
    await app.close();
    await queue.shutdown(0);
  };
  return { send, mine, close };
}

test.each(loggerOptions)(
  "at debug, logs each request as it arrives and is answered, with its request id (%s)",
  async (_name, option) => {
    const server = await loggingServer("debug", option);
    const res = await server.send("GET", "/api/jobs?limit=abc");
    expect(res.statusCode).toBe(400);
    const lines = server.mine();
    expect(lines.map((l) => l.msg)).toEqual(["incoming request", "request rejected", "request completed"]);
    expect(lines.map((l) => l.level)).toEqual([20, 30, 20]);
    expect(lines[1]).toMatchObject({ code: "invalid_request", message: expect.stringContaining('"limit"') });
    expect(lines[2]).toMatchObject({ res: { statusCode: 400 }, responseTime: expect.any(Number) });
    await server.close();
  },
);

test.each(loggerOptions)(
  "at info, an accepted request logs nothing and a refused one logs why (%s)",
  async (_name, option) => {
    const server = await loggingServer("info", option);
    expect((await server.send("POST", "/api/jobs", { type: "t" })).statusCode).toBe(201);
    expect(server.mine()).toEqual([]);
    expect((await server.send("GET", "/api/jobs?limit=abc")).statusCode).toBe(400);
    expect(server.mine().map((l) => l.msg)).toEqual(["request rejected"]);
    await server.close();
  },
);

test("createServer given a pino logger (as jobd serve does) logs refused requests into it", async () => {
  const capture = capturingLogger("info");
  const server = await createServer({ logger: capture.logger, listen: { port: 0 } });
  try {
    const res = await fetch(`${server.url}/api/jobs/not-a-uuid`, { headers: { "x-request-id": "r-1" } });
    expect(res.status).toBe(400);
    const refusal = capture.lines.find((l) => l.reqId === "r-1");
    expect(refusal).toMatchObject({ msg: "request rejected", code: "invalid_request" });
  } finally {
    await server.close();
  }
});

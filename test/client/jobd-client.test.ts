/** JobdClient against a real in-process server: every REST call, typed errors by code, and events. */
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobdClient, JobdClientError, type JobEvent, type RemoteJob } from "../../src/client/index.js";
import { JobdError } from "../../src/domain/errors.js";
import { type RunningServer, serverOnFetchBlockedPort, startServer } from "./in-process-server.js";

let server: RunningServer & { url: string };
let client: JobdClient;

beforeAll(async () => {
  server = await startServer();
  client = new JobdClient({ url: `${server.url}/` });
});
afterAll(() => server.close());

const lease = (workerId: string, type: string) =>
  client.lease({ worker_id: workerId, types: [type], lease_ms: 5_000 });

describe("jobs", () => {
  it("creates, gets and lists jobs", async () => {
    const job = await client.create({ type: "client.create", payload: { n: 1 }, priority: 5 });
    expect(job).toMatchObject({ type: "client.create", payload: { n: 1 }, priority: 5, status: "queued" });
    expect(await client.get(job.id)).toEqual(job);
    const [a, b] = await client.createMany([{ type: "client.batch" }, { type: "client.batch", queue: "q2" }]);
    expect(b?.queue).toBe("q2");
    const page = await client.history({ type: ["client.batch", "client.create"], limit: 2 });
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.jobs.map((j) => j.id)).toEqual([b?.id, a?.id]);
    expect((await client.history({ status: "queued", queue: "q2" })).jobs.map((j) => j.id)).toEqual([b?.id]);
  });

  it("returns the stored job for a repeated idempotency key", async () => {
    const first = await client.create({ type: "client.idem", idempotency_key: "k-1" });
    const again = await client.create({ type: "client.idem", idempotency_key: "k-1", payload: 2 });
    expect(again.id).toBe(first.id);
  });

  it("cancels, retries, retries all failed, deletes", async () => {
    const job = await client.create({ type: "client.cancel" });
    expect((await client.cancel(job.id)).status).toBe("cancelled");
    expect(await client.retry(job.id)).toEqual({
      job_id: job.id,
      status: "queued",
      message: "Job requeued for processing",
    });
    const [leased] = await lease("w-retry-failed", "client.cancel");
    await client.fail(job.id, {
      worker_id: "w-retry-failed",
      attempt: leased?.attempts ?? 0,
      error: "boom",
      retryable: false,
    });
    expect((await client.get(job.id)).status).toBe("failed");
    expect(await client.retryFailed({ type: "client.cancel" })).toEqual({ requeued: 1 });
    await client.delete(job.id);
    await expect(client.get(job.id)).rejects.toMatchObject({ code: "not_found", httpStatus: 404 });
  });

  it("reports stats", async () => {
    const stats = await client.stats();
    expect(stats).toMatchObject({ backend: "memory", durability: "none" });
    expect(stats.recovery).toEqual({ recovered: 0, requeued: 0, failed: 0, retried: 0, pruned: 0 });
    expect(stats.counts.queued).toBeGreaterThan(0);
  });
});

describe("the worker protocol", () => {
  it("leases, heartbeats with progress, completes", async () => {
    const job = await client.create({ type: "client.proto" });
    const [leased] = await lease("w-proto", "client.proto");
    expect(leased).toMatchObject({ id: job.id, status: "processing", worker_id: "w-proto", attempts: 1 });
    const ref = { worker_id: "w-proto", attempt: 1 };
    expect((await client.heartbeat(job.id, { ...ref, progress: 40 })).progress).toBe(40);
    const done = await client.complete(job.id, { ...ref, result: { ok: true } });
    expect(done).toMatchObject({ status: "completed", result: { ok: true } });
  });

  it("refuses a stale lease with a conflict", async () => {
    const job = await client.create({ type: "client.stale" });
    await lease("w-stale", "client.stale");
    const error = await client.complete(job.id, { worker_id: "w-stale", attempt: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(JobdClientError);
    expect(error).toBeInstanceOf(JobdError);
    expect(error).toMatchObject({ code: "conflict", status: 409, httpStatus: 409, transient: false });
  });
});

describe("errors", () => {
  it("turns a validation error into invalid_request naming the field", async () => {
    const error = await client.create({ type: "bad type!" }).catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_request", httpStatus: 400 });
    expect(error.message).toContain("type");
  });

  it("sends the bearer token, and says unauthorized without it", async () => {
    const guarded = await startServer({ apiToken: "s3cret" });
    try {
      await expect(new JobdClient({ url: guarded.url }).stats()).rejects.toMatchObject({
        code: "unauthorized",
      });
      const stats = await new JobdClient({ url: guarded.url, token: "s3cret" }).stats();
      expect(stats.backend).toBe("memory");
    } finally {
      await guarded.close();
    }
  });

  it("says unavailable, with status 0, when nothing listens", async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const error = await new JobdClient({ url }).stats().catch((e) => e);
    expect(error).toMatchObject({ code: "unavailable", httpStatus: 0, transient: true });
    expect(error.message).toMatch(/cannot reach jobd at .*ECONNREFUSED/);
  });

  it("falls back on the HTTP status when the answer is not jobd's JSON (a proxy)", async () => {
    const proxy = createHttpServer((_req, res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad Gateway</h1>"),
    );
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const error = await new JobdClient({ url: `http://127.0.0.1:${port}` }).stats().catch((e) => e);
      expect(error).toMatchObject({ code: "unavailable", httpStatus: 502, transient: true });
      expect(error.message).toBe("HTTP 502 Bad Gateway");
    } finally {
      proxy.close();
    }
  });
});

/**
 * The first event of a stream of `type`'s events. Until the subscription has reached the server a new
 * job's `created` passes unseen (a loaded machine can take longer than any fixed wait): create jobs until
 * one is seen. The stream is closed afterwards.
 */
async function firstEventOf(on: JobdClient, type: string): Promise<JobEvent> {
  const stream = on.events({ type: [type] });
  try {
    const next = stream.next(); // opens the stream
    next.catch(() => undefined); // a failure to open shows in the race below, not as unhandled
    for (;;) {
      await on.create({ type });
      const first = await Promise.race([next, new Promise<undefined>((resolve) => setTimeout(resolve, 200))]);
      if (first) return first.value as JobEvent;
    }
  } finally {
    await stream.return(undefined);
  }
}

describe("events", () => {
  it("streams job events as they happen, and stops when the loop breaks", async () => {
    const stream = client.events({ type: ["client.events"] });
    const next = stream.next(); // opens the stream
    // Until the subscription has reached the server a new job's `created` passes unseen (a loaded machine
    // can take longer than any fixed wait): create jobs until one is seen, and follow that one.
    let first: IteratorResult<JobEvent> | undefined;
    while (!first) {
      await client.create({ type: "client.events" });
      first = await Promise.race([next, new Promise<undefined>((resolve) => setTimeout(resolve, 200))]);
    }
    expect(first.value?.event).toBe("created");
    const job = first.value?.job as RemoteJob;
    await client.cancel(job.id);
    const seen: string[] = [];
    for await (const { event, job: evented } of stream) {
      if (evented.id !== job.id) continue; // a job created while the first event was on its way
      seen.push(event);
      if (event === "cancelled") break;
    }
    expect(seen).toEqual(["cancelled"]);
  });

  it("reaches a server on a port fetch refuses to connect to (6000, 10080…)", async () => {
    const onBadPort = await serverOnFetchBlockedPort();
    try {
      const badPortClient = new JobdClient({ url: onBadPort.url });
      const first = await firstEventOf(badPortClient, "client.bad-port");
      expect(first).toMatchObject({ event: "created", job: { type: "client.bad-port" } });
    } finally {
      await onBadPort.close();
    }
  });

  it("goes through the client's own fetch when it has one", async () => {
    const urls: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      urls.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const first = await firstEventOf(
      new JobdClient({ url: server.url, fetch: countingFetch }),
      "client.fetch",
    );
    expect(first.event).toBe("created");
    expect(urls).toContain("/api/events");
  });

  it("says unavailable when the connection is lost mid-stream", async () => {
    const dropping = createHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" }).write(": connected\n\n");
      setTimeout(() => res.destroy(), 50);
    });
    await new Promise<void>((resolve) => dropping.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}`;
      const stream = new JobdClient({ url }).events();
      const error = await stream.next().catch((e) => e);
      expect(error).toMatchObject({ code: "unavailable", httpStatus: 0, transient: true });
      expect(error.message).toMatch(`lost the connection to jobd at ${url}: `);
    } finally {
      dropping.close();
    }
  });

  it("ends when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const received: unknown[] = [];
    const reading = (async () => {
      for await (const message of client.events({}, { signal: controller.signal })) received.push(message);
    })();
    setTimeout(() => controller.abort(), 100);
    await expect(reading).resolves.toBeUndefined();
  });
});

describe("timeouts", () => {
  /** A server that accepts connections and never answers (a hung or blackholed jobd). */
  let silent: { url: string; connections: number; close: () => Promise<void> };
  beforeAll(async () => {
    const sockets = new Set<Socket>();
    const tcp = createTcpServer((socket) => {
      silent.connections++;
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    silent = {
      url: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`,
      connections: 0,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => tcp.close(resolve));
      },
    };
  });
  afterAll(() => silent.close());

  /** The error of `call` and how long it took to come. */
  async function timed(call: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
    const started = performance.now();
    const error = await call.then(
      () => new Error("expected the call to fail"),
      (e: unknown) => e,
    );
    return { error, ms: performance.now() - started };
  }

  const timedOut = (ms: number) => ({
    code: "unavailable",
    httpStatus: 0,
    transient: true,
    message: `cannot reach jobd at ${silent.url}: no answer within ${ms} ms`,
  });

  it("a call with no answer fails as unavailable after timeoutMs, naming the URL and the timeout", async () => {
    const before = silent.connections;
    const { error, ms } = await timed(new JobdClient({ url: silent.url, timeoutMs: 300 }).stats());
    expect(error).toBeInstanceOf(JobdClientError);
    expect(error).toMatchObject(timedOut(300));
    expect(silent.connections).toBeGreaterThan(before); // it connected: the answer is what never came
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3_000);
  });

  it("so does a call through the client's own fetch, and opening the event stream", async () => {
    const viaFetch = new JobdClient({ url: silent.url, timeoutMs: 300, fetch });
    expect((await timed(viaFetch.get("some-id"))).error).toMatchObject(timedOut(300));
    const events = new JobdClient({ url: silent.url, timeoutMs: 300 }).events();
    const { error, ms } = await timed(events.next());
    expect(error).toMatchObject(timedOut(300));
    expect(ms).toBeLessThan(3_000);
    expect((await timed(viaFetch.events().next())).error).toMatchObject(timedOut(300));
  });

  it("a long-poll lease waits wait_ms plus timeoutMs, so a wait longer than timeoutMs is not cut", async () => {
    const patient = new JobdClient({ url: server.url, timeoutMs: 300 });
    const started = performance.now();
    const jobs = await patient.lease({ worker_id: "w-long-poll", types: ["client.none"], wait_ms: 1_000 });
    expect(jobs).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    const job = await client.create({ type: "client.long-poll", delay_ms: 700 });
    const [leased] = await patient.lease({
      worker_id: "w-long-poll",
      types: ["client.long-poll"],
      wait_ms: 5_000,
    });
    expect(leased?.id).toBe(job.id);
  });

  it("refuses a timeoutMs that is not a number of milliseconds; 0 waits forever", () => {
    expect(() => new JobdClient({ url: server.url, timeoutMs: -1 })).toThrow(RangeError);
    expect(() => new JobdClient({ url: server.url, timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => new JobdClient({ url: server.url, timeoutMs: 0 })).not.toThrow();
  });
});

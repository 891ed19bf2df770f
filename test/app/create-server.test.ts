/** createServer: the library API in the wire format, HTTP on demand, restarts, and graceful close. */
import { writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, onTestFinished, test } from "vitest";
import { createServer } from "../../src/app/create-server.js";
import type { JobdServer } from "../../src/app/jobd-server.js";
import type { ServerOptions } from "../../src/app/server-options.js";
import type { JobJson } from "../../src/domain/job.js";
import { freePort } from "../e2e/jobd-process.js";
import { tempDir } from "../support/temp-dir.js";

/** A server closed when the test ends, whatever happens. */
async function start(options: ServerOptions): Promise<JobdServer> {
  const server = await createServer({ logger: false, ...options });
  onTestFinished(() => server.close());
  return server;
}

/** A pino logger whose lines land in `lines`. */
function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split("\n"));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

function completedJob(server: JobdServer, id: string): Promise<JobJson> {
  return new Promise((resolve) => {
    const listener = (job: JobJson) => {
      if (job.id !== id) return;
      server.off("completed", listener);
      resolve(job);
    };
    server.on("completed", listener);
  });
}

describe("createServer", () => {
  test("runs handlers and speaks the wire format: create bodies in, JobJson out and in events", async () => {
    const server = await start({
      handlers: { "email.send": async (payload) => ({ sent: (payload as { to: string }).to }) },
    });
    const job = await server.enqueue({ type: "email.send", payload: { to: "a@b.c" }, max_attempts: 2 });
    expect(job).toMatchObject({ type: "email.send", status: "queued", max_attempts: 2, attempts: 0 });
    expect(typeof job.created_at).toBe("string");
    const done = await completedJob(server, job.id);
    expect(done).toMatchObject({ status: "completed", result: { sent: "a@b.c" }, attempts: 1 });
    expect(await server.get(job.id)).toMatchObject({ status: "completed", finished_at: expect.any(String) });
  });

  test("history filters with one value or a list, newest first; retry and cancel answer with the job", async () => {
    const server = await start({});
    const [a, b, c] = await server.enqueueMany([{ type: "x" }, { type: "y" }, { type: "x", queue: "other" }]);
    expect((await server.history({ type: "x" })).jobs.map((j) => j.id)).toEqual([c?.id, a?.id]);
    const page = await server.history({ type: ["x", "y"], limit: 2 });
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.jobs.map((j) => j.id)).toEqual([c?.id, b?.id]);
    expect((await server.cancel(b?.id ?? "")).status).toBe("cancelled");
    expect((await server.history({ status: "cancelled" })).total).toBe(1);
    expect((await server.retry(b?.id ?? "")).status).toBe("queued");
    await expect(server.history({ limit: 0 })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(server.get("0190d1b2-0000-7000-8000-000000000000")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  test("bad ids, filters, event names and persistence settings are invalid_request, as in the REST API", async () => {
    const server = await start({});
    for (const call of [() => server.get("nope"), () => server.retry("nope"), () => server.cancel("x")])
      await expect(call()).rejects.toMatchObject({ code: "invalid_request", message: '"id" must be a UUID' });
    await expect(server.history({ status: "bogus" as "queued" })).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringMatching(/^"status\[0\]"/),
    });
    expect(() => server.on("complete" as "completed", () => {})).toThrow(
      'unknown event "complete": the events are created, started',
    );
    for (const persistence of [
      { enabled: true, backend: "bogus" as "json" },
      { enabled: true, backend: "sqlite" as const, sqliteSync: "fast" as "full" },
      { enabled: true, retentionDays: -1 },
      { enabled: true, autoSaveInterval: -1 },
    ])
      await expect(createServer({ logger: false, persistence })).rejects.toMatchObject({
        code: "invalid_request",
        message: expect.stringContaining('"persistence.'),
      });
  });

  test("a payload JSON cannot hold is refused naming it; a JSON payload is stored as a copy", async () => {
    const server = await start({});
    await expect(server.enqueue({ type: "x", payload: { n: Number.NaN } })).rejects.toMatchObject({
      code: "invalid_request",
      message: '"payload" is not JSON: payload.n is NaN',
    });
    await expect(
      server.enqueueMany([{ type: "x" }, { type: "x", payload: { at: new Date(0) } }]),
    ).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("jobs[1].payload.at is a Date"),
    });
    expect((await server.history()).total).toBe(0);

    const payload = { tags: ["a"] };
    const job = await server.enqueue({ type: "x", payload });
    payload.tags.push("changed after enqueue");
    expect((await server.get(job.id)).payload).toEqual({ tags: ["a"] });
  });

  test("on the memory store too, neither a handler nor the caller can change a stored job's payload or result", async () => {
    const seen: unknown[] = [];
    const server = await start({
      handlers: {
        edit: async (payload, ctx) => {
          seen.push(ctx.job.payload === payload);
          (payload as { tags: string[] }).tags.push("changed by the handler");
          return { out: [1] };
        },
      },
    });
    server.on("completed", (event) => {
      (event.result as { out: number[] }).out.push(2); // a listener changing what it was given
    });
    const created = await server.enqueue({ type: "edit", payload: { tags: ["a"] } });
    (created.payload as { tags: string[] }).tags.push("changed by the caller");
    const done = await completedJob(server, created.id);
    expect(seen).toEqual([true]);
    expect(done.result).toEqual({ out: [1] });
    const stored = await server.get(created.id);
    expect(stored.payload).toEqual({ tags: ["a"] });
    expect(stored.result).toEqual({ out: [1] });
  });

  test("memory is the default; its startup line says nothing survives a restart", async () => {
    const { logger, lines } = captureLogs();
    const server = await start({ logger });
    expect((await server.stats()).backend).toBe("memory");
    expect(lines.join("\n")).toMatch(/backend memory .*nothing survives a restart/);
  });

  test("on sqlite a job survives a restart; the startup line names backend, dir, durability, recovery", async () => {
    const dir = tempDir("app-sqlite");
    const persistence = { enabled: true, backend: "sqlite" as const, storagePath: dir };
    const first = await createServer({ persistence, logger: false });
    const job = await first.enqueue({ type: "later" });
    await first.close();
    await first.close(); // safe twice

    const { logger, lines } = captureLogs();
    const second = await start({ persistence, logger, handlers: { later: () => "ran" } });
    expect(second.recovery).toEqual({ recovered: 1, requeued: 0, failed: 0, retried: 0, pruned: 0 });
    const startup = lines.find((line) => line.includes("jobd ready")) ?? "";
    expect(startup).toContain(`backend sqlite in ${dir}`);
    expect(startup).toContain("durability power-loss");
    expect(startup).toContain("recovered 1");
    expect((await completedJob(second, job.id)).result).toBe("ran");
  });

  test("close() after the shutdown timeout puts a stuck run back to queued, uncounted; it runs after restart", async () => {
    const dir = tempDir("app-close");
    const persistence = { enabled: true, backend: "json" as const, storagePath: dir };
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = await createServer({
      persistence,
      logger: false,
      shutdownTimeout: 0.05,
      handlers: {
        stuck: () => {
          started();
          return new Promise(() => {});
        },
      },
    });
    const job = await first.enqueue({ type: "stuck", max_attempts: 1 });
    await running;
    await first.close();

    const second = await start({ persistence, handlers: { stuck: () => "second time lucky" } });
    expect(second.recovery).toMatchObject({ recovered: 1, requeued: 0, failed: 0 });
    const done = await completedJob(second, job.id);
    expect(done).toMatchObject({ attempts: 1, result: "second time lucky" });
  });

  test("listen serves the REST API on the same queue; /readyz is 200 once createServer resolved", async () => {
    const server = await start({ listen: { port: 0, host: "127.0.0.1" } });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const created = await fetch(`${server.url}/api/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "via.http" }),
    });
    expect(created.status).toBe(201);
    const { job } = (await created.json()) as { job: JobJson };
    expect((await server.get(job.id)).type).toBe("via.http");
  });

  test("get, cancel and retry take a job id in any case, as the REST API does", async () => {
    const server = await start({});
    const job = await server.enqueue({ type: "nobody.runs.this" });
    expect((await server.get(job.id.toUpperCase())).id).toBe(job.id);
    expect((await server.cancel(job.id.toUpperCase())).status).toBe("cancelled");
    expect((await server.retry(job.id.toUpperCase())).status).toBe("queued");
  });

  test("once close() has begun, /readyz answers 503 while the API still serves remote workers", async () => {
    let release: () => void = () => {};
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const server = await createServer({
      logger: false,
      listen: { port: 0, host: "127.0.0.1" },
      handlers: {
        slow: () =>
          new Promise<void>((resolve) => {
            release = resolve;
            started();
          }),
      },
    });
    await server.enqueue({ type: "slow" });
    await running;
    const closed = server.close(); // waits for the running handler (the shutdown timeout is 30 s)
    const readyz = await fetch(`${server.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    expect((await fetch(`${server.url}/api/stats`)).status).toBe(200);
    release();
    await closed;
  });

  test("with listen, the port answers at once: /healthz 200, the rest 503 (after the token) until ready", async () => {
    // A task file whose import waits: createServer is held after the port opened, before the store.
    const dir = tempDir("app-early");
    writeFileSync(
      `${dir}/slow.mjs`,
      "await new Promise((resolve) => { globalThis.releaseSlowTask = resolve; });\nexport default async () => 'ok';\n",
    );
    type Held = { releaseSlowTask?: () => void };
    const held = () => (globalThis as Held).releaseSlowTask;
    delete (globalThis as Held).releaseSlowTask;
    const port = await freePort();
    const starting = createServer({
      logger: false,
      tasksDir: dir,
      apiToken: "t0ken",
      listen: { port, host: "127.0.0.1" },
    });
    await expect.poll(() => typeof held()).toBe("function");
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const readyz = await fetch(`${base}/readyz`);
    expect([readyz.status, ((await readyz.json()) as { error: { code: string } }).error.code]).toEqual([
      503,
      "unavailable",
    ]);
    expect((await fetch(`${base}/api/stats`)).status).toBe(401);
    expect((await fetch(`${base}/api/stats`, { headers: { authorization: "Bearer t0ken" } })).status).toBe(
      503,
    );
    held()?.();
    const server = await starting;
    onTestFinished(() => server.close());
    expect(server.url).toBe(base);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/api/stats`, { headers: { authorization: "Bearer t0ken" } })).status).toBe(
      200,
    );
  });

  test("a start that fails after the port opened closes the port again", async () => {
    const port = await freePort();
    await expect(
      createServer({
        logger: false,
        tasksDir: "/nonexistent/jobd-tasks",
        listen: { port, host: "127.0.0.1" },
      }),
    ).rejects.toThrow();
    const again = await createServer({ logger: false, listen: { port, host: "127.0.0.1" } });
    onTestFinished(() => again.close());
    expect(again.url).toBe(`http://127.0.0.1:${port}`);
  });

  test("tasksDir loads handlers; bad options are refused before anything opens", async () => {
    const dir = tempDir("app-tasks");
    writeFileSync(`${dir}/hello.mjs`, "export default async (p) => 'hello ' + p;\n");
    const server = await start({ tasksDir: dir });
    const job = await server.enqueue({ type: "hello", payload: "world" });
    expect((await completedJob(server, job.id)).result).toBe("hello world");
    await expect(createServer({ concurrency: 0, logger: false })).rejects.toThrow(/concurrency/);
  });
});

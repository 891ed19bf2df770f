import { afterEach, beforeEach, expect, test } from "vitest";
import { createJob, leaseOne, type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

test("GET /api/stats: counts, per-queue counts, recovery, backend, durability, uptime_s", async () => {
  await createJob(server.app, { type: "t", queue: "q1" });
  await createJob(server.app, { type: "t", queue: "q2" });
  await leaseOne(server.app);
  server.queue.recovery = { recovered: 1, requeued: 2, failed: 3, retried: 4, pruned: 5 };
  const res = await server.app.inject("/api/stats");
  expect(res.statusCode).toBe(200);
  const zero = { queued: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
  expect(res.json()).toEqual({
    counts: { ...zero, queued: 1, processing: 1 },
    queues: { q1: { ...zero, processing: 1 }, q2: { ...zero, queued: 1 } },
    recovery: { recovered: 1, requeued: 2, failed: 3, retried: 4, pruned: 5 },
    backend: "memory",
    durability: "none",
    uptime_s: expect.any(Number),
  });
});

test("GET /healthz is 200 and GET /readyz 200 once ready", async () => {
  expect((await server.app.inject("/healthz")).json()).toEqual({ status: "ok" });
  const ready = await server.app.inject("/readyz");
  expect(ready.statusCode).toBe(200);
  expect(ready.json()).toEqual({ status: "ready" });
});

import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { JobJson } from "../../src/domain/job.js";
import { createJob, leaseOne, post, type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe("POST /api/workers/lease", () => {
  test("leases due jobs of the asked types, now processing, up to max_jobs", async () => {
    await createJob(server.app, { type: "t" });
    await createJob(server.app, { type: "t" });
    await createJob(server.app, { type: "other" });
    const res = await post(server.app, "/api/workers/lease", { worker_id: "w1", types: ["t"], max_jobs: 5 });
    expect(res.statusCode).toBe(200);
    const jobs = res.json().jobs as JobJson[];
    expect(jobs).toHaveLength(2);
    for (const job of jobs)
      expect(job).toMatchObject({ type: "t", status: "processing", attempts: 1, worker_id: "w1" });
    const leaseMs = Date.parse(jobs[0]?.lease_expires_at ?? "") - Date.parse(jobs[0]?.started_at ?? "");
    expect(leaseMs).toBe(30_000);
  });

  test("answers an empty list when nothing is due", async () => {
    const res = await post(server.app, "/api/workers/lease", { worker_id: "w1" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ jobs: [] });
  });

  test("with wait_ms, returns as soon as a matching job is created", async () => {
    const started = Date.now();
    const pending = post(server.app, "/api/workers/lease", {
      worker_id: "w1",
      types: ["late"],
      wait_ms: 10_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const job = await createJob(server.app, { type: "late" });
    const res = await pending;
    expect(res.json().jobs.map((j: JobJson) => j.id)).toEqual([job.id]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("a long poll ends when its client disconnects, and leases nothing afterwards", async () => {
    await server.app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = server.app.server.address() as AddressInfo;
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/api/workers/lease",
      headers: { "content-type": "application/json" },
    });
    req.on("error", () => {});
    req.end(JSON.stringify({ worker_id: "gone", types: ["x"], wait_ms: 30_000 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const job = await createJob(server.app, { type: "x" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await server.store.get(job.id))?.status).toBe("queued");
  });
});

test("closing the server answers a waiting long poll at once, with nothing", async () => {
  const pending = post(server.app, "/api/workers/lease", { worker_id: "w1", wait_ms: 30_000 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await server.app.close();
  const res = await pending;
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ jobs: [] });
  expect(Date.now() - started).toBeLessThan(5_000);
});

describe("heartbeat, complete and fail", () => {
  test("heartbeat reports progress and extends the lease", async () => {
    await createJob(server.app);
    const job = await leaseOne(server.app);
    const res = await post(server.app, `/api/jobs/${job.id}/heartbeat`, {
      worker_id: "w1",
      attempt: 1,
      progress: 40,
      lease_ms: 120_000,
    });
    expect(res.statusCode).toBe(200);
    const after = res.json().job as JobJson;
    expect(after.progress).toBe(40);
    expect(Date.parse(after.lease_expires_at ?? "")).toBeGreaterThan(
      Date.parse(job.lease_expires_at ?? "") + 60_000,
    );
  });

  test("complete stores the result; a second complete is 409 and changes nothing", async () => {
    await createJob(server.app);
    const job = await leaseOne(server.app);
    const res = await post(server.app, `/api/jobs/${job.id}/complete`, {
      worker_id: "w1",
      attempt: 1,
      result: { ok: 1 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().job).toMatchObject({ status: "completed", result: { ok: 1 }, worker_id: null });
    const again = await post(server.app, `/api/jobs/${job.id}/complete`, {
      worker_id: "w1",
      attempt: 1,
      result: 2,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("conflict");
    expect((await server.store.get(job.id))?.result).toEqual({ ok: 1 });
  });

  test("fail with attempts left queues again with the error; not retryable fails for good", async () => {
    await createJob(server.app);
    const job = await leaseOne(server.app);
    const res = await post(server.app, `/api/jobs/${job.id}/fail`, {
      worker_id: "w1",
      attempt: 1,
      error: "boom",
    });
    expect(res.json().job).toMatchObject({ status: "queued", error: "boom", attempts: 1 });
    await server.store.update(job.id, (j) => ({ ...j, runAt: 0 }));
    const second = await leaseOne(server.app, "w2");
    const final = await post(server.app, `/api/jobs/${job.id}/fail`, {
      worker_id: "w2",
      attempt: 2,
      error: "fatal",
      retryable: false,
    });
    expect(final.json().job).toMatchObject({ id: second.id, status: "failed", error: "fatal" });
  });

  test("a write from a lease that moved on is 409: wrong worker, wrong attempt", async () => {
    await createJob(server.app);
    const job = await leaseOne(server.app);
    for (const body of [
      { worker_id: "intruder", attempt: 1 },
      { worker_id: "w1", attempt: 2 },
    ]) {
      const res = await post(server.app, `/api/jobs/${job.id}/heartbeat`, body);
      expect(res.statusCode).toBe(409);
    }
    const cancelled = await post(server.app, `/api/jobs/${job.id}/cancel`);
    expect(cancelled.json().job.status).toBe("cancelled");
    const late = await post(server.app, `/api/jobs/${job.id}/complete`, { worker_id: "w1", attempt: 1 });
    expect(late.statusCode).toBe(409);
    expect((await server.store.get(job.id))?.status).toBe("cancelled");
  });

  test("an unknown job is 404", async () => {
    const res = await post(server.app, "/api/jobs/01900000-0000-7000-8000-000000000000/complete", {
      worker_id: "w1",
      attempt: 1,
    });
    expect(res.statusCode).toBe(404);
  });
});

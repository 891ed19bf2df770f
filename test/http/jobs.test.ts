import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { JobJson } from "../../src/domain/job.js";
import { createJob, post, type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe("POST /api/jobs", () => {
  test("creates a queued job with the defaults and answers 201 {job}", async () => {
    const res = await post(server.app, "/api/jobs", { type: "email.send", payload: { to: "a@b.c" } });
    expect(res.statusCode).toBe(201);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    const { job } = res.json();
    expect(job).toMatchObject({
      type: "email.send",
      queue: "default",
      payload: { to: "a@b.c" },
      status: "queued",
      priority: 0,
      attempts: 0,
      max_attempts: 3,
      timeout_ms: null,
      idempotency_key: null,
      progress: null,
      result: null,
      error: null,
      worker_id: null,
      lease_expires_at: null,
      started_at: null,
      finished_at: null,
    });
    expect(job.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(Object.keys(job)).toHaveLength(20);
  });

  test("serializes exactly what the store holds", async () => {
    const created = await createJob(server.app, {
      type: "t",
      payload: [1, "two", { three: null }],
      priority: 5,
    });
    const stored = await server.store.get(created.id);
    expect(stored?.payload).toEqual([1, "two", { three: null }]);
    expect(created.created_at).toBe(new Date(stored?.createdAt ?? 0).toISOString());
  });

  test("run_at on a leap day, and with an offset, is stored as that instant", async () => {
    const leap = await createJob(server.app, { type: "t", run_at: "2028-02-29T23:00:00Z" });
    expect(leap.run_at).toBe("2028-02-29T23:00:00.000Z");
    const offset = await createJob(server.app, { type: "t", run_at: "2028-03-01T01:00:00+02:00" });
    expect(offset.run_at).toBe("2028-02-29T23:00:00.000Z");
  });

  test("numbers near the double's limits are stored as they are", async () => {
    const text = `{"type":"t","payload":[1e308,-1.7e308,1e-400,${"9".repeat(300)},"1e999"]}`;
    const res = await server.app.inject({
      method: "POST",
      url: "/api/jobs",
      headers: { "content-type": "application/json" },
      payload: text,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().job.payload).toEqual([1e308, -1.7e308, 0, Number(`${"9".repeat(300)}`), "1e999"]);
  });

  test("answers 200 with the stored job, unchanged, when the idempotency key exists", async () => {
    const first = await post(server.app, "/api/jobs", { type: "t", idempotency_key: "k1", payload: 1 });
    const again = await post(server.app, "/api/jobs", { type: "other", idempotency_key: "k1", payload: 2 });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().job).toEqual(first.json().job);
    expect((await server.queue.stats()).counts.queued).toBe(1);
  });
});

describe("POST /api/jobs/batch", () => {
  test("creates every job, 201 in request order, stored jobs returned for existing keys", async () => {
    const existing = await createJob(server.app, { type: "t", idempotency_key: "old" });
    const res = await post(server.app, "/api/jobs/batch", {
      jobs: [{ type: "a" }, { type: "b", idempotency_key: "old" }, { type: "c", queue: "q2" }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Number(res.headers["content-length"])).toBe(res.rawPayload.length);
    const jobs = res.json().jobs as JobJson[];
    expect(jobs.map((j) => j.type)).toEqual(["a", "t", "c"]);
    expect(jobs[1]).toEqual(existing);
    expect((await server.queue.stats()).counts.queued).toBe(3);
  });

  test("all or none: a bad job anywhere stores nothing", async () => {
    const res = await post(server.app, "/api/jobs/batch", {
      jobs: [{ type: "a" }, { type: "b", priority: 2000 }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.json().error.message).toContain("jobs[1].priority");
    expect((await server.queue.history({ limit: 10, offset: 0 })).total).toBe(0);
  });

  test("accepts 10,000 jobs and refuses 10,001", async () => {
    const many = (n: number) => ({ jobs: Array.from({ length: n }, () => ({ type: "bulk" })) });
    const tooMany = await post(server.app, "/api/jobs/batch", many(10_001));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toBe(
      '"jobs" must be a list of 1–10000 items (got a list of 10,001 items)',
    );
    const ok = await post(server.app, "/api/jobs/batch", many(10_000));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().jobs).toHaveLength(10_000);
  });
});

describe("GET /api/jobs/{id}", () => {
  test("returns the job, 404 not_found for an unknown id", async () => {
    const job = await createJob(server.app);
    const res = await server.app.inject(`/api/jobs/${job.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ job });
    const missing = await server.app.inject("/api/jobs/01900000-0000-7000-8000-000000000000");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("not_found");
  });
});

test("a job id in capitals is the same job, on every route that takes one", async () => {
  const job = await createJob(server.app);
  const upper = job.id.toUpperCase();
  const res = await server.app.inject(`/api/jobs/${upper}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().job.id).toBe(job.id);
  expect((await post(server.app, `/api/jobs/${upper}/cancel`)).statusCode).toBe(200);
  expect((await server.app.inject({ method: "DELETE", url: `/api/jobs/${upper}` })).statusCode).toBe(204);
});

describe("GET /api/jobs/history and GET /api/jobs", () => {
  async function seed() {
    const a = await createJob(server.app, { type: "a", queue: "q1" });
    const b = await createJob(server.app, { type: "b", queue: "q2" });
    const c = await createJob(server.app, { type: "a", queue: "q2" });
    await post(server.app, `/api/jobs/${b.id}/cancel`);
    return { a, b, c };
  }

  test("newest first with defaults limit 50, offset 0; both paths answer the same", async () => {
    const { a, b, c } = await seed();
    const history = await server.app.inject("/api/jobs/history");
    const list = await server.app.inject("/api/jobs");
    expect(history.statusCode).toBe(200);
    expect(history.json()).toEqual(list.json());
    const body = history.json();
    expect(body.jobs.map((j: JobJson) => j.id)).toEqual([c.id, b.id, a.id]);
    expect(body).toMatchObject({ total: 3, limit: 50, offset: 0 });
  });

  test("filters by status, type and queue (one value, comma list or repeated key)", async () => {
    const { a, b, c } = await seed();
    const ids = async (query: string) =>
      (await server.app.inject(`/api/jobs?${query}`)).json().jobs.map((j: JobJson) => j.id);
    expect(await ids("status=cancelled")).toEqual([b.id]);
    expect(await ids("status=queued,cancelled")).toEqual([c.id, b.id, a.id]);
    expect(await ids("status=queued&status=cancelled")).toEqual([c.id, b.id, a.id]);
    expect(await ids("type=a")).toEqual([c.id, a.id]);
    expect(await ids("queue=q2&type=a,b")).toEqual([c.id, b.id]);
    expect(await ids("queue=q1&status=cancelled")).toEqual([]);
  });

  test("pages with limit and offset; total counts every match", async () => {
    const { a, b } = await seed();
    const res = await server.app.inject("/api/jobs/history?limit=2&offset=1");
    expect(res.json()).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(res.json().jobs.map((j: JobJson) => j.id)).toEqual([b.id, a.id]);
  });
});

test("the largest offset is echoed exactly", async () => {
  await createJob(server.app);
  const res = await server.app.inject("/api/jobs?offset=9007199254740991");
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body).toContain('"offset":9007199254740991');
  expect(res.json()).toMatchObject({ jobs: [], total: 1 });
});

describe("DELETE /api/jobs/{id}", () => {
  test("204 and gone; a processing job is 409; unknown is 404", async () => {
    const job = await createJob(server.app);
    const res = await server.app.inject({ method: "DELETE", url: `/api/jobs/${job.id}` });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe("");
    expect(await server.store.get(job.id)).toBeNull();
    const again = await server.app.inject({ method: "DELETE", url: `/api/jobs/${job.id}` });
    expect(again.statusCode).toBe(404);

    const running = await createJob(server.app);
    await post(server.app, "/api/workers/lease", { worker_id: "w" });
    const busy = await server.app.inject({ method: "DELETE", url: `/api/jobs/${running.id}` });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe("conflict");
    expect((await server.store.get(running.id))?.status).toBe("processing");
  });
});

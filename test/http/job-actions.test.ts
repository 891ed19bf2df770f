import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createJob, leaseOne, post, type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

/** A job failed for good through the worker API. */
async function failedJob(type = "t", queue = "default") {
  await createJob(server.app, { type, queue });
  const job = await leaseOne(server.app, "w1", type);
  await post(server.app, `/api/jobs/${job.id}/fail`, {
    worker_id: "w1",
    attempt: 1,
    error: "no",
    retryable: false,
  });
  return job;
}

describe("POST /api/jobs/{id}/retry", () => {
  test("requeues a failed job with the spec's answer; attempts reset, error kept", async () => {
    const job = await failedJob();
    const res = await post(server.app, `/api/jobs/${job.id}/retry`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ job_id: job.id, status: "queued", message: "Job requeued for processing" });
    expect(await server.store.get(job.id)).toMatchObject({ status: "queued", attempts: 0, error: "no" });
  });

  test("accepts an empty JSON body", async () => {
    const job = await failedJob();
    const res = await server.app.inject({
      method: "POST",
      url: `/api/jobs/${job.id}/retry`,
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(200);
  });

  test("a queued job is 409 conflict; an unknown one 404", async () => {
    const job = await createJob(server.app);
    const res = await post(server.app, `/api/jobs/${job.id}/retry`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("conflict");
    const missing = await post(server.app, "/api/jobs/01900000-0000-7000-8000-000000000000/retry");
    expect(missing.statusCode).toBe(404);
  });
});

describe("POST /api/jobs/retry-failed", () => {
  test("retries every failed job matching the filter, in one step", async () => {
    await failedJob("a", "q1");
    await failedJob("a", "q2");
    await failedJob("b", "q1");
    const some = await post(server.app, "/api/jobs/retry-failed", { type: "a", queue: "q1" });
    expect(some.json()).toEqual({ requeued: 1 });
    const rest = await post(server.app, "/api/jobs/retry-failed", {});
    expect(rest.json()).toEqual({ requeued: 2 });
    expect((await server.queue.stats()).counts).toMatchObject({ failed: 0, queued: 3 });
  });
});

describe("POST /api/jobs/{id}/cancel", () => {
  test("queued or processing → cancelled; finished → 409", async () => {
    const queued = await createJob(server.app);
    const res = await post(server.app, `/api/jobs/${queued.id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json().job).toMatchObject({ id: queued.id, status: "cancelled" });
    const again = await post(server.app, `/api/jobs/${queued.id}/cancel`);
    expect(again.statusCode).toBe(409);

    await createJob(server.app);
    const running = await leaseOne(server.app);
    const cancelRunning = await post(server.app, `/api/jobs/${running.id}/cancel`);
    expect(cancelRunning.json().job).toMatchObject({ status: "cancelled", worker_id: null });
  });
});

describe("routes without a body (retry, cancel, delete)", () => {
  test("take an absent body, an empty one and {}", async () => {
    const job = await createJob(server.app);
    const empty = { "content-type": "application/json" };
    const cancel = await server.app.inject({
      method: "POST",
      url: `/api/jobs/${job.id}/cancel`,
      headers: empty,
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await post(server.app, `/api/jobs/${job.id}/retry`, {})).statusCode).toBe(200);
    expect((await post(server.app, `/api/jobs/${job.id}/cancel`, {})).statusCode).toBe(200);
    const remove = await server.app.inject({
      method: "DELETE",
      url: `/api/jobs/${job.id}`,
      headers: empty,
      payload: "{}",
    });
    expect(remove.statusCode, remove.body).toBe(204);
  });
});

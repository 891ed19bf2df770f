import { afterEach, beforeEach, expect, test } from "vitest";
import { createJob, leaseOne, post, type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

/** The value of one sample line, e.g. `jobd_jobs{status="queued"}`. */
async function scrape() {
  const res = await server.app.inject("/metrics");
  expect(res.statusCode).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return (sample: string) => {
    const line = res.body.split("\n").find((l) => l.startsWith(`${sample} `));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  };
}

test("jobs by status and queue, created/completed/failed/retried counters, run-time histogram", async () => {
  await createJob(server.app, { type: "t", queue: "q1" });
  await createJob(server.app, { type: "t", queue: "q1" });
  await createJob(server.app, { type: "t", queue: "q1" });
  const a = await leaseOne(server.app);
  await post(server.app, `/api/jobs/${a.id}/complete`, { worker_id: "w1", attempt: 1 });
  const b = await leaseOne(server.app);
  await post(server.app, `/api/jobs/${b.id}/fail`, {
    worker_id: "w1",
    attempt: 1,
    error: "x",
    retryable: false,
  });
  const c = await leaseOne(server.app);
  await post(server.app, `/api/jobs/${c.id}/fail`, { worker_id: "w1", attempt: 1, error: "again" });

  const value = await scrape();
  const labels = 'queue="q1",type="t"';
  expect(value('jobd_jobs{status="queued"}')).toBe(1);
  expect(value('jobd_jobs{status="completed"}')).toBe(1);
  expect(value('jobd_jobs{status="failed"}')).toBe(1);
  expect(value('jobd_jobs{status="processing"}')).toBe(0);
  expect(value('jobd_queue_jobs{queue="q1",status="queued"}')).toBe(1);
  expect(value(`jobd_jobs_created_total{${labels}}`)).toBe(3);
  expect(value(`jobd_jobs_completed_total{${labels}}`)).toBe(1);
  expect(value(`jobd_jobs_failed_total{${labels}}`)).toBe(1);
  expect(value(`jobd_jobs_retried_total{${labels}}`)).toBe(1);
  expect(value(`jobd_job_run_seconds_count{${labels},status="completed"}`)).toBe(1);
  expect(value(`jobd_job_run_seconds_count{${labels},status="failed"}`)).toBe(1);
  expect(value('jobd_recovery_jobs{kind="requeued"}')).toBe(0);
  expect(value("jobd_reaped_leases_total")).toBe(0);
});

test("recovery counts and maintenance totals follow the queue", async () => {
  server.queue.recovery = { recovered: 4, requeued: 2, failed: 1, retried: 0, pruned: 3 };
  server.queue.recordMaintenance({ reapedLeases: 5, pruned: 7 });
  let value = await scrape();
  expect(value('jobd_recovery_jobs{kind="recovered"}')).toBe(4);
  expect(value('jobd_recovery_jobs{kind="pruned"}')).toBe(3);
  expect(value("jobd_reaped_leases_total")).toBe(5);
  server.queue.recordMaintenance({ reapedLeases: 1 });
  value = await scrape();
  expect(value("jobd_reaped_leases_total")).toBe(6);
  expect(value("jobd_pruned_jobs_total")).toBe(7);
});

test("each server has its own registry", async () => {
  const other = await startServer();
  await createJob(other.app);
  const value = await scrape();
  expect(value('jobd_jobs{status="queued"}')).toBe(0);
  await other.close();
});

test("the created counter adds up across scrapes, per queue and type", async () => {
  await createJob(server.app, { type: "t", queue: "q1" });
  await post(server.app, "/api/jobs/batch", {
    jobs: [
      { type: "t", queue: "q1" },
      { type: "t", queue: "q2" },
      { type: "u", queue: "q1" },
    ],
  });
  let value = await scrape();
  expect(value('jobd_jobs_created_total{queue="q1",type="t"}')).toBe(2);
  expect(value('jobd_jobs_created_total{queue="q2",type="t"}')).toBe(1);
  expect(value('jobd_jobs_created_total{queue="q1",type="u"}')).toBe(1);
  value = await scrape();
  expect(value('jobd_jobs_created_total{queue="q1",type="t"}')).toBe(2);
  await createJob(server.app, { type: "t", queue: "q1" });
  value = await scrape();
  expect(value('jobd_jobs_created_total{queue="q1",type="t"}')).toBe(3);
  expect(value('jobd_jobs_created_total{queue="q2",type="t"}')).toBe(1);
});

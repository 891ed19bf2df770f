/**
 * How work() talks to the server, seen through a recording fetch: one lease request asks for every
 * free slot and its jobs all start at once, fast handlers get jobs leased ahead (prefetch), never more
 * than `concurrency` handlers run, and one shared heartbeat timer keeps every held lease alive.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { type RunningServer, startServer } from "./in-process-server.js";
import { waitForJob } from "./wait-for-job.js";

let server: RunningServer & { url: string };
let client: JobdClient;

beforeAll(async () => {
  server = await startServer();
  client = new JobdClient({ url: server.url });
});
afterAll(() => server.close());

interface Call {
  path: string;
  body: Record<string, unknown>;
  jobs?: number;
}

/** A client whose every call is recorded: path, request body, and for leases how many jobs came back. */
function recordingClient(calls: Call[]): JobdClient {
  const fetchAndRecord: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const call: Call = {
      path: new URL(String(input)).pathname,
      body: JSON.parse(String(init?.body ?? "{}")),
    };
    if (call.path.endsWith("/lease") && response.ok) call.jobs = (await response.clone().json()).jobs.length;
    calls.push(call);
    return response;
  };
  return new JobdClient({ url: server.url, fetch: fetchAndRecord });
}

/** A gate handlers wait on, counting how many are waiting now and at most. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const state = { active: 0, peak: 0, started: 0, open };
  let reached: (() => void) | undefined;
  const handler = async () => {
    state.started++;
    state.peak = Math.max(state.peak, ++state.active);
    reached?.();
    await opened;
    state.active--;
  };
  const whenStarted = (n: number) =>
    new Promise<void>((resolve) => {
      reached = () => state.started >= n && resolve();
      reached();
    });
  return { state, handler, whenStarted };
}

const quiet = { onError: () => {}, waitMs: 1_000 };

describe("work() leasing", () => {
  it("leases as many jobs as it has free slots in one request, and starts them all", async () => {
    const jobs = await client.createMany(Array.from({ length: 25 }, () => ({ type: "l.batch" })));
    const calls: Call[] = [];
    const { state, handler, whenStarted } = gate();
    const worker = recordingClient(calls).work("l.batch", handler, { ...quiet, concurrency: 10 });
    await whenStarted(10);
    const leases = calls.filter((call) => call.path.endsWith("/lease"));
    expect(leases[0]).toMatchObject({ body: { max_jobs: 10 }, jobs: 10 });
    expect(state.active).toBe(10);
    state.open();
    for (const job of jobs) await waitForJob(client, job.id, ["completed"]);
    await worker.stop();
    const withJobs = calls.filter((call) => call.path.endsWith("/lease") && (call.jobs ?? 0) > 0);
    expect(withJobs.reduce((sum, call) => sum + (call.jobs ?? 0), 0)).toBe(25);
    // Ideally 10 + 10 + 5; completes racing the next lease split some on a loaded machine (6 seen in CI).
    // One lease per job would be 25: at most 12 still means every lease carried two jobs on average.
    expect(withJobs.length).toBeLessThanOrEqual(12);
    expect(state.peak).toBe(10);
  });

  it("leases ahead of its free slots for fast handlers, still running at most `concurrency`", async () => {
    const jobs = await client.createMany(Array.from({ length: 300 }, () => ({ type: "l.ahead" })));
    const calls: Call[] = [];
    let active = 0;
    let peak = 0;
    const worker = recordingClient(calls).work(
      "l.ahead",
      async () => {
        peak = Math.max(peak, ++active);
        await Promise.resolve();
        active--;
      },
      { ...quiet, concurrency: 2 },
    );
    const done = await Promise.all(jobs.map((job) => waitForJob(client, job.id, ["completed"])));
    await worker.stop();
    const asked = calls
      .filter((call) => call.path.endsWith("/lease"))
      .map((call) => call.body.max_jobs as number);
    expect(asked[0]).toBe(2); // no pace yet: the free slots only
    expect(Math.max(...asked)).toBeGreaterThan(2); // then the starts of the last ~10 ms on top
    expect(Math.max(...asked)).toBeLessThanOrEqual(100);
    expect(peak).toBe(2);
    expect(done.every((job) => job.attempts === 1)).toBe(true);
    expect(worker.active).toBe(0);
  });

  it("never runs more than `concurrency` handlers, however the jobs arrive", async () => {
    let active = 0;
    let peak = 0;
    const worker = client.work(
      "l.bound",
      async (payload) => {
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, 5 + ((payload as number) % 4) * 20));
        active--;
      },
      { ...quiet, concurrency: 4 },
    );
    const first = await client.createMany(
      Array.from({ length: 10 }, (_, n) => ({ type: "l.bound", payload: n })),
    );
    const later = await Promise.all(
      Array.from({ length: 10 }, (_, n) => client.create({ type: "l.bound", payload: n })),
    );
    for (const job of [...first, ...later]) await waitForJob(client, job.id, ["completed"]);
    await worker.stop();
    expect(peak).toBe(4);
    expect(worker.active).toBe(0);
  });

  it("keeps every held lease alive with one shared heartbeat timer (about every third of the lease)", async () => {
    const jobs = await client.createMany(Array.from({ length: 4 }, () => ({ type: "l.beat" })));
    const calls: Call[] = [];
    const worker = recordingClient(calls).work(
      "l.beat",
      () => new Promise((resolve) => setTimeout(resolve, 2_500)),
      { ...quiet, concurrency: 4, leaseMs: 1_000 },
    );
    const done = await Promise.all(jobs.map((job) => waitForJob(client, job.id, ["completed"])));
    await worker.stop();
    for (const job of jobs) {
      const beats = calls.filter((call) => call.path.endsWith(`/${job.id}/heartbeat`)).length;
      expect(beats).toBeGreaterThanOrEqual(4); // 2.5 s held on a 1 s lease: renewed every 333–500 ms
      expect(beats).toBeLessThanOrEqual(9); // not more often than every half a period
    }
    expect(done.every((job) => job.attempts === 1)).toBe(true); // no lease ran out and was leased again
  });
});

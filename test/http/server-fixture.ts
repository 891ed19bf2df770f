/**
 * A real server for HTTP tests: buildServer over a real JobQueue on a real MemoryJobStore, ready to
 * `inject()` (or `listen()` on 127.0.0.1:0 where inject cannot stream).
 */
import type { FastifyInstance } from "fastify";
import type { JobJson } from "../../src/domain/job.js";
import { buildServer } from "../../src/http/build-server.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { MemoryJobStore } from "../../src/store/memory/memory-job-store.js";

export interface ServerFixture {
  app: FastifyInstance;
  queue: JobQueue;
  store: MemoryJobStore;
  /** Flips what `isReady()` answers. */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

export interface FixtureOptions {
  apiToken?: string;
  ready?: boolean;
  maxPayloadBytes?: number;
}

/** Builds and readies a server; call `close()` in `afterEach`. */
export async function startServer(options: FixtureOptions = {}): Promise<ServerFixture> {
  const store = await MemoryJobStore.open();
  const queue = new JobQueue({ store, maxPayloadBytes: options.maxPayloadBytes });
  let ready = options.ready ?? true;
  const app = buildServer({
    queue,
    isReady: () => ready,
    apiToken: options.apiToken,
    maxPayloadBytes: options.maxPayloadBytes ?? 1_048_576,
  });
  await app.ready();
  return {
    app,
    queue,
    store,
    setReady: (value) => {
      ready = value;
    },
    close: async () => {
      await app.close();
      await queue.shutdown(0);
      await store.close();
    },
  };
}

/** A JSON POST through inject. */
export function post(
  app: FastifyInstance,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: "POST",
    url,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Creates a job through the API and returns its wire form. */
export async function createJob(app: FastifyInstance, body: Record<string, unknown> = { type: "t" }) {
  const res = await post(app, "/api/jobs", body);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json().job as JobJson;
}

/** Leases one job of `type` for `workerId` through the API. */
export async function leaseOne(app: FastifyInstance, workerId = "w1", type = "t") {
  const res = await post(app, "/api/workers/lease", { worker_id: workerId, types: [type] });
  const [job] = res.json().jobs as JobJson[];
  if (!job) throw new Error(`nothing leased: ${res.body}`);
  return job;
}

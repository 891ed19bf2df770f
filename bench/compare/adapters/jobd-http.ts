/**
 * jobd over HTTP: `jobd serve --backend sqlite` (synchronous=FULL) in its own process; the runner
 * creates jobs with JobdClient, and the worker process runs `JobdClient.work()` (the remote-worker
 * protocol: lease, complete). Completions are counted from the server's 200 answers to `complete`.
 */
import { JobdClient } from "../../../src/client/index.js";
import { BENCH_JOB_TYPE, type BenchPayload, type BenchSystem, type Producer } from "../adapter.js";
import { type ServeProcess, startJobdServe } from "../jobd-serve-process.js";
import { jobdVersion } from "../package-version.js";
import { makeTempDir, removeTempDir } from "../temp-dir.js";

/** Servers this process started, by URL, so teardown can stop them (a StoreRef is plain JSON). */
const servers = new Map<string, ServeProcess>();
const body = (payload: BenchPayload) => ({ type: BENCH_JOB_TYPE, payload });

function producerFor(client: JobdClient): Producer {
  return {
    enqueueMany: async (payloads) => {
      await client.createMany(payloads.map(body));
    },
    enqueue: async (payload) => {
      await client.create(body(payload));
    },
    close: async () => {},
  };
}

/** A client that reports each accepted `complete` call (keeping the default node:http transport). */
class CountingClient extends JobdClient {
  constructor(
    url: string,
    private readonly onCompleted: () => void,
  ) {
    super({ url });
  }

  override async complete(...args: Parameters<JobdClient["complete"]>): ReturnType<JobdClient["complete"]> {
    const job = await super.complete(...args);
    this.onCompleted();
    return job;
  }
}

/** jobd serve on SQLite FULL, driven over HTTP. */
export const jobdHttp: BenchSystem = {
  id: "jobd-http-sqlite",
  label: "jobd HTTP (SQLite FULL)",
  durability: "WAL, synchronous=FULL: survives power loss",
  setup:
    "`jobd serve` in its own process; JobdClient.createMany (one batch) / create; the worker process runs JobdClient.work() at concurrency 10 (lease, complete); counted from 200 answers to complete",
  survivesRestart: true,
  skips: { W4: "recovery is the server's: see jobd SQLite FULL" },
  version: async () => `${jobdVersion()}; jobd serve + JobdClient`,
  unavailableReason: async () => undefined,
  reset: async () => {
    const dir = makeTempDir("jobd-http");
    const server = await startJobdServe(dir, ["--sqlite-sync", "full"]);
    servers.set(server.url, server);
    return { dir, url: server.url };
  },
  openProducer: async (ref) => producerFor(new JobdClient({ url: String(ref.url) })),
  startWorker: async (ref, options) => {
    const client = new CountingClient(String(ref.url), options.onCompleted);
    const worker = client.work(
      BENCH_JOB_TYPE,
      async () => {
        options.onPickup();
      },
      { concurrency: options.concurrency },
    );
    return { stop: () => worker.stop() };
  },
  teardown: async (ref) => {
    await servers.get(String(ref.url))?.stop();
    servers.delete(String(ref.url));
    removeTempDir(String(ref.dir));
  },
};

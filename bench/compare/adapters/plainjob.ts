/**
 * plainjob: a SQLite queue on better-sqlite3, with its defaults (WAL, synchronous=NORMAL: a commit
 * survives a killed process but not a power cut). Producer and worker processes share the file.
 * Its worker runs one job at a time, so concurrency 10 is ten workers in the worker process.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { better, defineQueue, defineWorker, type Queue } from "plainjob";
import { BENCH_JOB_TYPE, type BenchSystem, type Producer, type StoreRef } from "../adapter.js";
import { packageVersion } from "../package-version.js";
import { makeTempDir, removeTempDir } from "../temp-dir.js";

/** Polls every 10 ms when idle (its default is 1 s, which would only measure the poll interval). */
const POLL_INTERVAL_MS = 10;

const silentLogger = { error: console.error, warn: () => {}, info: () => {}, debug: () => {} };

function openQueue(ref: StoreRef): Queue {
  const connection = better(new Database(String(ref.file)));
  return defineQueue({ connection, logger: silentLogger });
}

function producerFor(queue: Queue): Producer {
  return {
    enqueueMany: async (payloads) => {
      queue.addMany(BENCH_JOB_TYPE, payloads);
    },
    enqueue: async (payload) => {
      queue.add(BENCH_JOB_TYPE, payload);
    },
    close: async () => queue.close(),
  };
}

/** plainjob with its default settings. */
export const plainjob: BenchSystem = {
  id: "plainjob",
  label: "plainjob (SQLite)",
  durability: "WAL, synchronous=NORMAL (its default): survives a process crash, not power loss",
  setup:
    "its defaults; ten defineWorker loops in the worker process (it runs one job at a time each), polling every 10 ms when idle (default 1 s); producer and worker share the file",
  survivesRestart: true,
  version: async () => `${packageVersion("plainjob")}, ${packageVersion("better-sqlite3")}`,
  unavailableReason: async () => undefined,
  reset: async () => {
    const dir = makeTempDir("plainjob");
    return { dir, file: path.join(dir, "queue.db") };
  },
  openProducer: async (ref) => producerFor(openQueue(ref)),
  startWorker: async (ref, options) => {
    const queue = openQueue(ref);
    const workers = Array.from({ length: options.concurrency }, () =>
      defineWorker(BENCH_JOB_TYPE, () => options.onPickup(), {
        queue,
        pollIntervall: POLL_INTERVAL_MS,
        logger: silentLogger,
        onCompleted: () => options.onCompleted(),
      }),
    );
    for (const worker of workers) void worker.start();
    return {
      stop: async () => {
        await Promise.all(workers.map((worker) => worker.stop()));
        queue.close();
      },
    };
  },
  teardown: async (ref) => removeTempDir(String(ref.dir)),
};

/**
 * BullMQ on Redis at 127.0.0.1:6379, with AOF + `appendfsync everysec` (its documented production
 * setting): up to a second of acknowledged jobs can be lost on a crash. A fresh queue name per run.
 */
import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { BenchSystem, Producer, StoreRef } from "../adapter.js";
import { packageVersion } from "../package-version.js";
import { enableAofEverySec } from "./redis-durability.js";

const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

function connection() {
  const url = new URL(REDIS_URL);
  // Options, not a client: BullMQ then owns (and closes) its connections. Workers block on Redis,
  // for which BullMQ requires maxRetriesPerRequest null.
  return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
}

async function redisVersion(): Promise<string> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "?";
  } finally {
    redis.disconnect();
  }
}

function producerFor(queue: Queue): Producer {
  return {
    enqueueMany: async (payloads) => {
      await queue.addBulk(payloads.map((data) => ({ name: "bench", data })));
    },
    enqueue: async (payload) => {
      await queue.add("bench", payload);
    },
    close: () => queue.close(),
  };
}

/** BullMQ with Redis AOF everysec. */
export const bullmq: BenchSystem = {
  id: "bullmq",
  label: "BullMQ (Redis)",
  durability: "AOF, appendfsync everysec: a crash may lose the last ~1 s",
  setup:
    "Queue.addBulk / Queue.add; a Worker with concurrency 10; completions counted from its `completed` event; completed jobs kept (its default); a fresh queue per run",
  survivesRestart: true,
  version: async () =>
    `${packageVersion("bullmq")}, ${packageVersion("ioredis")}, Redis ${await redisVersion()}`,
  unavailableReason: async () => {
    try {
      await redisVersion();
      return undefined;
    } catch (error) {
      return `Redis at ${REDIS_URL} unreachable (${(error as Error).message})`;
    }
  },
  prepare: () => enableAofEverySec(REDIS_URL),
  reset: async () => ({ queue: `bench-${randomUUID()}` }),
  openProducer: async (ref: StoreRef) =>
    producerFor(new Queue(String(ref.queue), { connection: connection() })),
  startWorker: async (ref, options) => {
    const worker = new Worker(String(ref.queue), async () => options.onPickup(), {
      connection: connection(),
      concurrency: options.concurrency,
    });
    worker.on("completed", () => options.onCompleted());
    await worker.waitUntilReady();
    return { stop: () => worker.close() };
  },
  teardown: async (ref) => {
    const queue = new Queue(String(ref.queue), { connection: connection() });
    await queue.obliterate({ force: true });
    await queue.close();
  },
};

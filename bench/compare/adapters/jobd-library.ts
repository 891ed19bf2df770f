/**
 * jobd embedded (`createServer`, DESIGN.md §7) on memory, JSON and SQLite (FULL, the default, and
 * NORMAL). The data directory belongs to one process, so W1's bulk enqueue runs in the worker's
 * process, as an application embedding jobd would do it.
 */
import { createServer } from "../../../src/app/create-server.js";
import {
  BENCH_JOB_TYPE,
  type BenchPayload,
  type BenchSystem,
  type Producer,
  type StoreRef,
} from "../adapter.js";
import { jobdVersion } from "../package-version.js";
import { makeTempDir, removeTempDir } from "../temp-dir.js";

type JobdServer = Awaited<ReturnType<typeof createServer>>;
type Backend = "memory" | "json" | "sqlite";

interface Variant {
  id: string;
  label: string;
  durability: string;
  backend: Backend;
  sqliteSync?: "full" | "normal";
}

const body = (payload: BenchPayload) => ({ type: BENCH_JOB_TYPE, payload });

function persistenceOf(ref: StoreRef) {
  const backend = ref.backend as Backend;
  return {
    enabled: backend !== "memory",
    backend,
    storagePath: String(ref.dir),
    ...(ref.sqliteSync ? { sqliteSync: ref.sqliteSync as "full" | "normal" } : {}),
  };
}

function producerFor(server: JobdServer, closes: boolean): Producer {
  return {
    enqueueMany: async (payloads) => {
      await server.enqueueMany(payloads.map(body));
    },
    enqueue: async (payload) => {
      await server.enqueue(body(payload));
    },
    close: async () => {
      if (closes) await server.close();
    },
  };
}

function jobdSystem(variant: Variant): BenchSystem {
  return {
    id: variant.id,
    label: variant.label,
    durability: variant.durability,
    setup:
      "createServer embedded with a handler map and concurrency 10; the store belongs to one process, so W1's enqueueMany runs in the worker's process; counted from its `completed` event",
    enqueueInWorker: true,
    survivesRestart: variant.backend !== "memory",
    version: async () => jobdVersion(),
    unavailableReason: async () => undefined,
    reset: async () => ({
      dir: makeTempDir(variant.id),
      backend: variant.backend,
      ...(variant.sqliteSync ? { sqliteSync: variant.sqliteSync } : {}),
    }),
    openProducer: async (ref) =>
      producerFor(await createServer({ persistence: persistenceOf(ref), logger: false }), true),
    startWorker: async (ref, options) => {
      const server = await createServer({
        persistence: persistenceOf(ref),
        logger: false,
        concurrency: options.concurrency,
        handlers: {
          [BENCH_JOB_TYPE]: async () => {
            options.onPickup();
          },
        },
      });
      server.on("completed", () => options.onCompleted());
      return { stop: () => server.close(), producer: producerFor(server, false) };
    },
    teardown: async (ref) => removeTempDir(String(ref.dir)),
  };
}

/** The four embedded variants. */
export const jobdLibrary = {
  memory: jobdSystem({
    id: "jobd-memory",
    label: "jobd memory",
    durability: "none (memory only)",
    backend: "memory",
  }),
  json: jobdSystem({
    id: "jobd-json",
    label: "jobd JSON",
    durability: "journal fsync per group commit: survives power loss",
    backend: "json",
  }),
  sqliteFull: jobdSystem({
    id: "jobd-sqlite-full",
    label: "jobd SQLite FULL",
    durability: "WAL, synchronous=FULL (default): survives power loss",
    backend: "sqlite",
    sqliteSync: "full",
  }),
  sqliteNormal: jobdSystem({
    id: "jobd-sqlite-normal",
    label: "jobd SQLite NORMAL",
    durability: "WAL, synchronous=NORMAL: survives a process crash, not power loss",
    backend: "sqlite",
    sqliteSync: "normal",
  }),
};

/**
 * jobd embedded (`createServer`, DESIGN.md §7) on memory, JSON, SQLite (FULL, the default, and
 * NORMAL) and PostgreSQL. The data directory belongs to one process, so W1's bulk enqueue runs in the
 * worker's process, as an application embedding jobd would do it (on PostgreSQL too, for the same
 * measurement). jobd is imported from its build (dist/, which `npm run bench:compare` rebuilds first), as
 * users run it: through tsx, its ~100 source files added ~150 ms to W4's process start (measured).
 * jobd's PostgreSQL schema is always `jobd`, so its runs use a database of their own,
 * `jobd_bench`, on the peers' server, and drop that schema between runs.
 */
import { createServer } from "../../../dist/app/create-server.js";
import {
  BENCH_JOB_TYPE,
  type BenchPayload,
  type BenchSystem,
  type Producer,
  type StoreRef,
} from "../adapter.js";
import { jobdVersion } from "../package-version.js";
import { makeTempDir, removeTempDir } from "../temp-dir.js";
import {
  dropSchema,
  ownDatabase,
  postgresDescription,
  postgresUnavailableReason,
} from "./postgres-schema.js";

type JobdServer = Awaited<ReturnType<typeof createServer>>;
type Backend = "memory" | "json" | "sqlite" | "postgres";

/** jobd's schema on PostgreSQL, and the database its runs use. */
const JOBD_SCHEMA = "jobd";
const JOBD_BENCH_DATABASE = "jobd_bench";

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
    ...(ref.databaseUrl ? { databaseUrl: String(ref.databaseUrl) } : {}),
  };
}

/** A fresh store for one run: an empty `jobd` schema, or a new data directory. */
async function freshStore(variant: Variant): Promise<StoreRef> {
  if (variant.backend === "postgres") {
    const databaseUrl = await ownDatabase(JOBD_BENCH_DATABASE);
    await dropSchema(JOBD_SCHEMA, databaseUrl);
    return { backend: variant.backend, databaseUrl };
  }
  return {
    dir: makeTempDir(variant.id),
    backend: variant.backend,
    ...(variant.sqliteSync ? { sqliteSync: variant.sqliteSync } : {}),
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
    version: async () =>
      variant.backend === "postgres" ? `${jobdVersion()}, ${await postgresDescription()}` : jobdVersion(),
    unavailableReason: async () => (variant.backend === "postgres" ? postgresUnavailableReason() : undefined),
    reset: () => freshStore(variant),
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
    teardown: async (ref) =>
      ref.databaseUrl ? dropSchema(JOBD_SCHEMA, String(ref.databaseUrl)) : removeTempDir(String(ref.dir)),
  };
}

/** The embedded variants. */
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
  postgres: jobdSystem({
    id: "jobd-postgres",
    label: "jobd PostgreSQL",
    durability: "synchronous_commit=on: survives power loss",
    backend: "postgres",
  }),
};

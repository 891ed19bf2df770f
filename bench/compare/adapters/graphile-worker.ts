/**
 * graphile-worker 0.17 (0.18 needs Node 22) on PostgreSQL with synchronous_commit on: durable when
 * acknowledged. LISTEN/NOTIFY wakes the worker; its defaults otherwise, but logging only errors.
 */
import { Logger, makeWorkerUtils, type Runner, run, type WorkerUtils } from "graphile-worker";
import { BENCH_JOB_TYPE, type BenchSystem, type Producer, type StoreRef } from "../adapter.js";
import { packageVersion } from "../package-version.js";
import {
  BENCH_DATABASE_URL,
  dropSchema,
  freshSchemaName,
  postgresDescription,
  postgresUnavailableReason,
} from "./postgres-schema.js";

/** Errors only: its default logs a line per completed job, which would measure the terminal. */
const errorsOnlyLogger = new Logger(() => (level, message) => {
  if (level === "error") console.error(`graphile-worker: ${message}`);
});

async function openUtils(ref: StoreRef): Promise<WorkerUtils> {
  return makeWorkerUtils({
    connectionString: BENCH_DATABASE_URL,
    schema: String(ref.schema),
    logger: errorsOnlyLogger,
  });
}

function producerFor(utils: WorkerUtils): Producer {
  return {
    enqueueMany: async (payloads) => {
      await utils.addJobs(payloads.map((payload) => ({ identifier: BENCH_JOB_TYPE, payload })));
    },
    enqueue: async (payload) => {
      await utils.addJob(BENCH_JOB_TYPE, payload);
    },
    close: async () => {
      await utils.release();
    },
  };
}

/** graphile-worker with durable commits. */
export const graphileWorker: BenchSystem = {
  id: "graphile-worker",
  label: "graphile-worker (PostgreSQL)",
  durability: "synchronous_commit=on: survives power loss",
  setup:
    "addJobs() / addJob(); run() with concurrency 10, LISTEN/NOTIFY, errors-only logger (its default logs a line per job); counted at `job:success`; a fresh schema per run",
  survivesRestart: true,
  version: async () => `${packageVersion("graphile-worker")}, ${await postgresDescription()}`,
  unavailableReason: postgresUnavailableReason,
  reset: async () => {
    const ref = { schema: freshSchemaName("bench_graphile") };
    const utils = await openUtils(ref);
    await utils.migrate();
    await utils.release();
    return ref;
  },
  openProducer: async (ref) => producerFor(await openUtils(ref)),
  startWorker: async (ref, options) => {
    const runner: Runner = await run({
      connectionString: BENCH_DATABASE_URL,
      schema: String(ref.schema),
      concurrency: options.concurrency,
      noHandleSignals: true,
      logger: errorsOnlyLogger,
      taskList: { [BENCH_JOB_TYPE]: async () => options.onPickup() },
    });
    // Emitted when the task resolves; graphile-worker then marks the job complete.
    runner.events.on("job:success", () => options.onCompleted());
    return { stop: () => runner.stop() };
  },
  teardown: (ref) => dropSchema(String(ref.schema)),
};

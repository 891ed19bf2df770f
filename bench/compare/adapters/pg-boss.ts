/**
 * pg-boss 10 (the last major that runs on Node 20) on PostgreSQL with synchronous_commit on: every
 * acknowledged job is durable. Concurrency 10 is ten `work()` pollers (its documented way), each
 * fetching one job at a time and polling every 0.5 s when idle (its minimum; the default is 2 s).
 */
import PgBoss from "pg-boss";
import { BENCH_JOB_TYPE, type BenchSystem, type Producer, type StoreRef } from "../adapter.js";
import { packageVersion } from "../package-version.js";
import {
  BENCH_DATABASE_URL,
  dropSchema,
  freshSchemaName,
  postgresDescription,
  postgresUnavailableReason,
} from "./postgres-schema.js";

const POLLING_INTERVAL_SECONDS = 0.5;

async function startBoss(ref: StoreRef, supervise: boolean): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: BENCH_DATABASE_URL,
    schema: String(ref.schema),
    supervise,
    schedule: false,
  });
  boss.on("error", (error) => console.error("pg-boss:", error.message));
  await boss.start();
  await boss.createQueue(BENCH_JOB_TYPE);
  return boss;
}

function producerFor(boss: PgBoss): Producer {
  return {
    enqueueMany: async (payloads) => {
      await boss.insert(payloads.map((data) => ({ name: BENCH_JOB_TYPE, data })));
    },
    enqueue: async (payload) => {
      await boss.send(BENCH_JOB_TYPE, payload);
    },
    close: () => boss.stop({ graceful: false, wait: true }),
  };
}

/** pg-boss with durable commits. */
export const pgBoss: BenchSystem = {
  id: "pg-boss",
  label: "pg-boss (PostgreSQL)",
  durability: "synchronous_commit=on: survives power loss",
  setup:
    "insert() / send(); ten work() pollers, one job per fetch, at the 0.5 s minimum interval: pg-boss 10 waits the interval after every fetch, so concurrency 10 caps it near 20 jobs/s (a larger batchSize would lift that); counted when the handler returns; a fresh schema per run",
  survivesRestart: true,
  version: async () => `${packageVersion("pg-boss")}, ${await postgresDescription()}`,
  unavailableReason: postgresUnavailableReason,
  reset: async () => {
    const ref = { schema: freshSchemaName("bench_pgboss") };
    // Create the schema and queue up front, so the producer and the worker child find them.
    const boss = await startBoss(ref, false);
    await boss.stop({ graceful: false, wait: true });
    return ref;
  },
  openProducer: async (ref) => producerFor(await startBoss(ref, false)),
  startWorker: async (ref, options) => {
    const boss = await startBoss(ref, true);
    const workOptions = { pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, batchSize: 1 };
    for (let i = 0; i < options.concurrency; i++) {
      await boss.work(BENCH_JOB_TYPE, workOptions, async (jobs) => {
        options.onPickup();
        // pg-boss has no completion event: counted when the handler returns (it completes right after).
        for (const _ of jobs) options.onCompleted();
      });
    }
    return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 5000 }) };
  },
  teardown: (ref) => dropSchema(String(ref.schema)),
};

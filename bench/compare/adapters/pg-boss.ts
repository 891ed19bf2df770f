/**
 * pg-boss 10 (the last major that runs on Node 20) on PostgreSQL with synchronous_commit on: every
 * acknowledged job is durable. Its best documented setup for concurrency 10: one `work()` poller with
 * `batchSize: 10` (the handler gets the batch and runs its jobs together; pg-boss completes them in one
 * statement), at the 0.5 s minimum `pollingIntervalSeconds`, calling `notifyWorker(id)` (its documented
 * way to skip the polling interval for one loop) after every non-empty batch, so a busy poller fetches
 * again at once. At its defaults pg-boss waits the interval after every fetch: ten pollers of one job
 * each capped near 20 jobs/s, and with `notifyWorker` reached about half the batched rate (W1 --quick:
 * 319 against 613 jobs/s, W3 323 against 1,124, same machine and minute).
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
    "insert() / send(); one work() poller with batchSize 10 (the batch's jobs run together), pollingIntervalSeconds 0.5 (its minimum) and notifyWorker(id) after every non-empty batch so it fetches again at once (at its defaults pg-boss 10 waits the interval after every fetch: concurrency 10 capped near 20 jobs/s); counted when the handler returns; a fresh schema per run",
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
    // Concurrency N is one poller holding a batch of N.
    const workOptions = { pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, batchSize: options.concurrency };
    let workerId: string | undefined;
    workerId = await boss.work(BENCH_JOB_TYPE, workOptions, async (jobs) => {
      await Promise.all(jobs.map(async () => options.onPickup()));
      // pg-boss has no completion event: counted when the handler returns (it completes right after).
      for (const _ of jobs) options.onCompleted();
      if (workerId) boss.notifyWorker(workerId); // more may be waiting: fetch again without the pause
    });
    return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 5000 }) };
  },
  teardown: (ref) => dropSchema(String(ref.schema)),
};

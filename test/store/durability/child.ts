/**
 * The crash-test child: `node --import tsx test/store/durability/child.ts <backend> <dataDir>`.
 * Opens the store through openStore and writes through it from several concurrent loops (creates,
 * batch creates, claims, completes, deletes) until it is killed, printing the protocol of ./protocol.ts.
 * Each loop owns one job type, so no two writes in flight ever touch the same job.
 */
import { v7 as uuidv7 } from "uuid";
import { resolvePersistenceConfig, type StorageBackend } from "../../../src/config/persistence.js";
import type { Job } from "../../../src/domain/job.js";
import { complete } from "../../../src/domain/transitions.js";
import { openStore } from "../../../src/store/create-store.js";
import type { JobStore } from "../../../src/store/job-store.js";
import { makeJob } from "../../support/job-factory.js";
import type { ChildLine, Intent } from "./protocol.js";

const LOOPS = 4;
const LEASE_MS = 600_000;
let nextOp = 0;

/**
 * Resolves once the line is in the pipe: a SIGKILL loses what Node still buffers, and when the parent
 * reads slowly, stdout stops writing synchronously and starts buffering.
 */
const print = (line: ChildLine) =>
  new Promise<void>((resolve, reject) =>
    process.stdout.write(`${JSON.stringify(line)}\n`, (error) => (error ? reject(error) : resolve())),
  );

/** Prints the intent, runs the write, prints the acknowledgement. */
async function write(intent: Intent, run: () => Promise<Job[] | string>): Promise<Job[]> {
  await print(intent);
  const answer = await run();
  await print(typeof answer === "string" ? { a: intent.w, deleted: answer } : { a: intent.w, jobs: answer });
  return typeof answer === "string" ? [] : answer;
}

/** One loop's random walk over its own jobs (type `t<n>`, worker `w<n>`). */
async function loop(store: JobStore, n: number): Promise<never> {
  const type = `t${n}`;
  const workerId = `w${n}`;
  const leased: Job[] = [];
  const done: string[] = [];
  for (;;) {
    const roll = Math.random();
    const now = Date.now();
    if (roll < 0.35) {
      const size = roll < 0.1 ? 1 + Math.floor(Math.random() * 50) : 1;
      const jobs = Array.from({ length: size }, () =>
        makeJob({
          id: uuidv7(),
          type,
          createdAt: now,
          payload: { n, text: "é".repeat(size) },
          idempotencyKey: uuidv7(),
        }),
      );
      await write({ w: nextOp++, kind: "create", jobs }, async () =>
        size === 1
          ? [(await store.create(jobs[0] as Job)).job]
          : (await store.createMany(jobs)).map((r) => r.job),
      );
    } else if (roll < 0.6) {
      const intent = {
        w: nextOp++,
        kind: "claim",
        workerId,
        type,
        now,
        leaseMs: LEASE_MS,
        limit: 5,
      } as const;
      leased.push(...(await write(intent, () => store.claim({ ...intent, types: [type] }))));
    } else if (roll < 0.9 && leased.length > 0) {
      const job = leased.shift() as Job;
      const lease = { workerId, attempt: job.attempts };
      const intent = {
        w: nextOp++,
        kind: "complete",
        id: job.id,
        ...lease,
        now,
        result: { at: now },
      } as const;
      await write(intent, async () => [await store.update(job.id, (j) => complete(j, lease, intent))]);
      done.push(job.id);
    } else if (done.length > 0) {
      const id = done.splice(Math.floor(Math.random() * done.length), 1)[0] as string;
      await write({ w: nextOp++, kind: "delete", id }, async () => {
        await store.delete(id);
        return id;
      });
    }
  }
}

async function main(): Promise<void> {
  const [backend, dataDir] = process.argv.slice(2) as [StorageBackend, string];
  const store = await openStore(
    resolvePersistenceConfig({ enabled: true, backend, storagePath: dataDir, autoSaveInterval: 0.1 }),
    { logger: { warn: (message) => process.stderr.write(`${message}\n`) } },
  );
  await print({ ready: true });
  await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(store, n)));
}

await main();

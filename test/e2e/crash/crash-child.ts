/**
 * The process the crash tests kill: a jobd embedded with createServer on a persistent backend, running
 * `work` jobs that take a little while, and `poison` jobs that SIGKILL their own server. It reports on
 * stdout, one JSON line each: `ready` (with the RecoveryResult), `acked` (job ids whose enqueue resolved:
 * durable), `completed`, and `drained`.
 *
 * Usage: node --import tsx crash-child.ts <json|sqlite> <data dir> <runs log> <produce N | drain | poison>
 * (`poison` enqueues one poison job, once, then drains).
 */
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createServer } from "../../../src/app/create-server.js";

const [backend, dataDir, runsLog, mode, count] = process.argv.slice(2);
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

const server = await createServer({
  persistence: {
    enabled: true,
    backend: backend as "json" | "sqlite",
    storagePath: dataDir,
    autoSaveInterval: 1,
  },
  concurrency: 4,
  logger: false,
  handlers: {
    work: async (payload, ctx) => {
      appendFileSync(runsLog as string, `${ctx.job.id}\n`);
      await sleep(10 + Math.floor(Math.random() * 30), undefined, { signal: ctx.signal });
      return { done: payload };
    },
    poison: () => process.kill(process.pid, "SIGKILL"),
  },
});
say({ event: "ready", recovery: server.recovery });
server.on("completed", (job) => say({ event: "completed", id: job.id }));

if (mode === "produce") {
  for (let batch = 0; batch < Number(count) / 10; batch++) {
    const bodies = Array.from({ length: 10 }, (_, i) => ({
      type: "work",
      payload: batch * 10 + i,
      max_attempts: 50,
    }));
    const jobs = await server.enqueueMany(bodies);
    say({ event: "acked", ids: jobs.map((job) => job.id) });
    await sleep(5);
  }
} else {
  if (mode === "poison") await server.enqueue({ type: "poison", max_attempts: 3, idempotency_key: "poison" });
  const finished = () =>
    new Promise((resolve) => {
      server.on("completed", resolve);
      server.on("failed", resolve);
    });
  for (;;) {
    const { counts } = await server.stats();
    if (counts.queued === 0 && counts.processing === 0) break;
    await finished();
  }
  say({ event: "drained", counts: (await server.stats()).counts });
  await server.close();
}
